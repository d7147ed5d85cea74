package io.github.netvirt.tap.impair;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.WakeableFd;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One end of a {@link TapRelay}: a TAP device opened inside its namespace, with IPv6 disabled (so
 * that the kernel's own neighbour-discovery traffic does not shift the seeded decisions), its MTU
 * (if given) and the link up. Closing the fd removes the device.
 */
final class TapPort implements AutoCloseable {
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;

    final NetNamespace namespace;
    final WakeableFd fd;
    final String name;
    final int ifindex;

    private TapPort(NetNamespace namespace, WakeableFd fd, String name, int ifindex) {
        this.namespace = namespace;
        this.fd = fd;
        this.name = name;
        this.ifindex = ifindex;
    }

    /** {@code device}: a name or a template such as {@code imp%d}; {@code mtu} 0 keeps the default. */
    static TapPort open(NetNamespace ns, String device, int mtu) {
        int fd;
        try {
            // the namespace of a tap is fixed when /dev/net/tun is opened
            fd = ns.inside(() -> Sys.open("/dev/net/tun", LibC.O_RDWR));
        } catch (RuntimeException ex) {
            throw ex;
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
        WakeableFd wakeable = WakeableFd.of(fd);
        try {
            byte[] ifreq = new byte[40];
            byte[] n = device.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(n, 0, ifreq, 0, n.length);
            ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder()).putShort(16, (short) (IFF_TAP | IFF_NO_PI));
            try {
                LibC.ioctl(fd, TUNSETIFF, ifreq);
            } catch (LastErrorException ex) {
                throw SyscallException.of("create tap " + device + " (TUNSETIFF)", ex.getErrorCode());
            }
            int end = 0;
            while (end < 16 && ifreq[end] != 0) {
                end++;
            }
            String name = new String(ifreq, 0, end, StandardCharsets.US_ASCII);
            ns.inside(() -> {
                // /proc/sys shows the namespace of the thread that reads it
                Files.writeString(Path.of("/proc/sys/net/ipv6/conf/" + name + "/disable_ipv6"), "1");
                return null;
            });
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                int index = h.linkIndex(name);
                if (mtu > 0) {
                    h.linkSetMtu(index, mtu);
                }
                h.linkSetUp(index);
                return new TapPort(ns, wakeable, name, index);
            }
        } catch (IOException ex) {
            wakeable.close();
            throw new IllegalStateException("cannot configure tap " + device + ": " + ex.getMessage(), ex);
        } catch (RuntimeException ex) {
            wakeable.close();
            throw ex;
        } catch (Exception ex) {
            wakeable.close();
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
