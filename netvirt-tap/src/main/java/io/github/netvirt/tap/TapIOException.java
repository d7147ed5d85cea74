package io.github.netvirt.tap;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.HasErrno;
import java.io.IOException;

/** A frame could not be read or written; {@link #errno()} is the kernel's reason. */
public class TapIOException extends IOException implements HasErrno {
    private static final long serialVersionUID = 1L;

    private final int errno;

    TapIOException(String message, int errno) {
        this(message, errno, Math.abs(errno) == 77 ? "EBADFD: the device was deleted under this fd" : null);
    }

    private TapIOException(String message, int errno, String hint) {
        super(Errno.message(message, errno, hint));
        this.errno = Math.abs(errno);
    }

    /** A frame's write refused: the errno's likely cause on a tap is said. */
    static TapIOException ofWrite(String message, int errno) {
        return switch (Errno.of(errno)) {
            case EIO -> new TapIOException(message, errno, "the device is down: bring it up before writing");
            case EINVAL -> new TapIOException(message, errno, "the kernel rejected the frame: too short or malformed");
            default -> new TapIOException(message, errno);
        };
    }

    @Override
    public int errno() {
        return errno;
    }
}
