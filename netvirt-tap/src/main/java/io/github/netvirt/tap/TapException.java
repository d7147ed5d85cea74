package io.github.netvirt.tap;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;

/**
 * Creating, attaching or configuring a TAP/TUN device failed in the kernel. {@link #errno()} tells
 * EBUSY (the device is attached to another fd), EPERM (not root), EINVAL (options that do not match
 * the existing device) apart.
 */
public class TapException extends SyscallException {
    public TapException(String message, int errno) {
        super(message + ": " + Errno.describe(errno) + hint(errno), errno, true);
    }

    private static String hint(int errno) {
        switch (Errno.of(errno)) {
            case EPERM:
                return " (needs root or CAP_NET_ADMIN)";
            case EACCES:
                // a user-namespace sandbox has CAP_NET_ADMIN, but the device file's mode still applies
                return " (/dev/net/tun's mode keeps this user out: it is 0666 on most distributions; "
                        + "with 0600 only the machine's root may open it, not a user-namespace sandbox)";
            default:
                return "";
        }
    }
}
