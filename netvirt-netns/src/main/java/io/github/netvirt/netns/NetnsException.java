package io.github.netvirt.netns;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;

/**
 * A namespace operation failed in the kernel. {@link #errno()} tells EEXIST (name taken), ENOENT
 * (no such namespace) and EPERM (not root) apart.
 */
public class NetnsException extends SyscallException {
    public NetnsException(String message, int errno) {
        super(message + ": " + Errno.describe(errno)
                + (Math.abs(errno) == Errno.EPERM.code() || Math.abs(errno) == Errno.EACCES.code()
                        ? " (needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN)" : ""),
                errno, true);
    }

    static NetnsException from(String message, SyscallException cause) {
        NetnsException e = new NetnsException(message, cause.errno());
        e.initCause(cause);
        return e;
    }
}
