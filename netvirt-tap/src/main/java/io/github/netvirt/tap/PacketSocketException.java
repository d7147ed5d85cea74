package io.github.netvirt.tap;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;

/** A capture's packet socket refused: EPERM and EACCES name the capability it needs. */
final class PacketSocketException extends SyscallException {
    private static final long serialVersionUID = 1L;

    PacketSocketException(String label, int errno) {
        super(
                "capture of " + label + ": socket(AF_PACKET)",
                errno,
                Errno.of(errno) == Errno.EPERM || Errno.of(errno) == Errno.EACCES
                        ? "a packet socket needs CAP_NET_RAW in the captured namespace"
                        : null,
                null);
    }
}
