package io.github.netvirt.tap;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.HasErrno;
import java.io.IOException;

/** A frame could not be read or written; {@link #errno()} is the kernel's reason. */
public class TapIOException extends IOException implements HasErrno {
    private static final long serialVersionUID = 1L;

    private final int errno;

    TapIOException(String message, int errno) {
        super(Errno.message(message, errno, hint(errno)));
        this.errno = Math.abs(errno);
    }

    private static String hint(int errno) {
        return switch (Errno.of(errno)) {
            case EIO -> "the device is down: bring it up before writing";
            case EINVAL -> "the kernel rejected the frame: too short or malformed";
            default -> Math.abs(errno) == 77 ? "EBADFD: the device was deleted under this fd" : null;
        };
    }

    @Override
    public int errno() {
        return errno;
    }
}
