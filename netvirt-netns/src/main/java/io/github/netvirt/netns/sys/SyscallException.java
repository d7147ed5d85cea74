package io.github.netvirt.netns.sys;

/**
 * A system call failed. Carries the errno so that callers can tell EEXIST, ENOENT, EPERM... apart
 * without parsing the message.
 */
public class SyscallException extends RuntimeException {
    private final int errno;

    public SyscallException(String operation, int errno) {
        this(operation, errno, null);
    }

    public SyscallException(String operation, int errno, Throwable cause) {
        super(message(operation, errno), cause);
        this.errno = Math.abs(errno);
    }

    protected SyscallException(String message, int errno, boolean rawMessage) {
        super(message);
        this.errno = Math.abs(errno);
    }

    private static String message(String operation, int errno) {
        String text = operation + ": " + Errno.describe(errno);
        if (Errno.of(errno) == Errno.EPERM || Errno.of(errno) == Errno.EACCES) {
            text += " (netvirt needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN)";
        }
        return text;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    /** The errno as a constant ({@link Errno#UNKNOWN} for values netvirt does not list). */
    public Errno errnoName() {
        return Errno.of(errno);
    }

    public boolean is(Errno e) {
        return e.code() == errno;
    }
}
