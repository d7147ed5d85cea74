package io.github.netvirt.netns;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.sys.SyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Brings {@code lo} up in the calling thread's namespace (a new namespace starts with it DOWN), and
 * reads the namespace's cookie on the same socket.
 */
final class Loopback {
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 1;

    private Loopback() {}

    /**
     * Brings {@code lo} up and returns the namespace's cookie, read on the same socket (one socket
     * for both where a new namespace needs both): 0 when the kernel cannot tell (before Linux 5.14).
     */
    static long upAndCookie() {
        int fd = Sys.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        try {
            byte[] ifreq = new byte[40];
            ifreq[0] = 'l';
            ifreq[1] = 'o';
            ByteBuffer b = ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder());
            try {
                LibC.ioctl(fd, SIOCGIFFLAGS, ifreq);
                b.putShort(16, (short) (b.getShort(16) | IFF_UP));
                LibC.ioctl(fd, SIOCSIFFLAGS, ifreq);
            } catch (LastErrorException e) {
                throw SyscallException.of("set lo up", e.getErrorCode());
            }
            try {
                return Sys.netnsCookie(fd);
            } catch (SyscallException e) {
                return 0;
            }
        } finally {
            Sys.closeQuietly(fd);
        }
    }
}
