package io.github.netvirt.tap;

import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;

/** A frame could not be read or written; {@link #errno()} is the kernel's reason. */
public class TapIOException extends IOException {
    private final int errno;

    public TapIOException(String message, int errno) {
        super(message + ": " + Errno.describe(errno) + hint(errno));
        this.errno = Math.abs(errno);
    }

    private static String hint(int errno) {
        switch (Errno.of(errno)) {
            case EIO:
                return " (the device is down: bring it up before writing)";
            case EINVAL:
                return " (the kernel rejected the frame: too short or malformed)";
            default:
                return Math.abs(errno) == 77 ? " (EBADFD: the device was deleted under this fd)" : "";
        }
    }

    public int errno() {
        return errno;
    }

    public Errno errnoName() {
        return Errno.of(errno);
    }

    public boolean is(Errno e) {
        return e.code() == errno;
    }
}
