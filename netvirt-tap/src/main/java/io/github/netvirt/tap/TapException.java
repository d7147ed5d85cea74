package io.github.netvirt.tap;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;

/**
 * Creating, attaching or configuring a TAP/TUN device failed in the kernel. {@link #errno()} tells
 * EBUSY (the device is attached to another fd), EPERM (not root), EINVAL (options that do not match
 * the existing device) apart.
 */
public class TapException extends SyscallException {
    private static final long serialVersionUID = 1L;

    TapException(String message, int errno) {
        super(
                message,
                errno,
                Errno.of(errno) == Errno.EACCES
                        // a user-namespace sandbox has CAP_NET_ADMIN, but the device file's mode still applies
                        ? "/dev/net/tun's mode keeps this user out: it is 0666 on most distributions; "
                                + "with 0600 only the machine's root may open it, not a user-namespace sandbox"
                        : null,
                null);
    }
}
