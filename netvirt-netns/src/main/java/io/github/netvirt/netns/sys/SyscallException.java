package io.github.netvirt.netns.sys;

/**
 * A system call failed. Carries the errno so that callers can tell EEXIST, ENOENT, EPERM... apart
 * without parsing the message. The message is {@link Errno#message}'s; subclasses add fields only.
 */
public class SyscallException extends RuntimeException implements HasErrno {
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param detail what is known beyond the errno, or null ({@link Errno#message})
     */
    protected SyscallException(String operation, int errno, String detail, Throwable cause) {
        super(Errno.message(operation, errno, detail));
        this.errno = Math.abs(errno);
        if (cause != null) {
            initCause(cause); // only then: a subclass may still initCause() once
        }
    }

    /** {@code operation} failed with {@code errno}. */
    public static SyscallException of(String operation, int errno) {
        return new SyscallException(operation, errno, null, null);
    }

    @Override
    public int errno() {
        return errno;
    }
}
