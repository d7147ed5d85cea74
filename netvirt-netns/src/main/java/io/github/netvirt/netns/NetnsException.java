package io.github.netvirt.netns;

import io.github.netvirt.netns.sys.SyscallException;

/**
 * A namespace operation failed in the kernel. {@link #errno()} tells EEXIST (name taken), ENOENT
 * (no such namespace) and EPERM (not root) apart.
 */
public class NetnsException extends SyscallException {
    private static final long serialVersionUID = 1L;

    NetnsException(String message, int errno) {
        super(message, errno, null, null);
    }

    static NetnsException from(String message, SyscallException cause) {
        NetnsException e = new NetnsException(message, cause.errno());
        e.initCause(cause);
        return e;
    }
}
