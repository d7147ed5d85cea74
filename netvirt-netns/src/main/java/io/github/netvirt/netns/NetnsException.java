package io.github.netvirt.netns;

import io.github.netvirt.netns.sys.SyscallException;

/**
 * A namespace operation failed in the kernel. {@link #errno()} tells EEXIST (name taken), ENOENT
 * (no such namespace) and EPERM (not root) apart.
 */
public class NetnsException extends SyscallException {
    private static final long serialVersionUID = 1L;

    NetnsException(String message, int errno) {
        this(message, errno, null);
    }

    private NetnsException(String message, int errno, String detail) {
        super(message, errno, detail, null);
    }

    static NetnsException from(String message, SyscallException cause) {
        return from(message, cause, null);
    }

    /** {@code detail}: what is known beyond the errno, or null. */
    static NetnsException from(String message, SyscallException cause, String detail) {
        NetnsException e = new NetnsException(message, cause.errno(), detail);
        e.initCause(cause);
        return e;
    }
}
