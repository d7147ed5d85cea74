package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A partition started while a device of a host is cut: the kernel took the device's IPv6 addresses
 * on the down, and gives them back (through the cut's heal) while the partition still holds.
 */
@RequiresRoot
class PartitionOverCutTest {
    private final String a = TestNames.unique("fa");
    private final String r = TestNames.unique("fa");
    private final String b = TestNames.unique("fa");
    private NetNamespace aNs;
    private NetNamespace rNs;
    private NetNamespace bNs;

    /** {@code a} and {@code b} on two subnets, routed by {@code r}: neither hears the other's neighbour discovery. */
    @BeforeEach
    void build() {
        aNs = NetNamespace.create(a);
        rNs = NetNamespace.create(r);
        bNs = NetNamespace.create(b);
        Ip.ok("-n", a, "link", "add", "eth0", "type", "veth", "peer", "name", "a0", "netns", r);
        Ip.ok("-n", b, "link", "add", "eth0", "type", "veth", "peer", "name", "b0", "netns", r);
        Ip.ok("netns", "exec", r, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
        Ip.ok("-n", r, "addr", "add", "10.78.1.254/24", "dev", "a0");
        Ip.ok("-n", r, "addr", "add", "fd78:1::ff/64", "dev", "a0", "nodad");
        Ip.ok("-n", r, "addr", "add", "10.78.2.254/24", "dev", "b0");
        Ip.ok("-n", r, "addr", "add", "fd78:2::ff/64", "dev", "b0", "nodad");
        Ip.ok("-n", r, "link", "set", "a0", "up");
        Ip.ok("-n", r, "link", "set", "b0", "up");
        for (String[] h : new String[][] {{a, "1"}, {b, "2"}}) {
            Ip.ok("-n", h[0], "addr", "add", "10.78." + h[1] + ".1/24", "dev", "eth0");
            Ip.ok("-n", h[0], "addr", "add", "fd78:" + h[1] + "::1/64", "dev", "eth0", "nodad");
            Ip.ok("-n", h[0], "link", "set", "eth0", "up");
            Ip.ok("-n", h[0], "route", "add", "default", "via", "10.78." + h[1] + ".254");
            Ip.ok("-n", h[0], "-6", "route", "add", "default", "via", "fd78:" + h[1] + "::ff");
        }
    }

    @AfterEach
    void remove() {
        for (NetNamespace ns : new NetNamespace[] {aNs, rNs, bNs}) {
            String name = ns.name().orElseThrow();
            ns.close();
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }

    @Test
    void aPartitionOverACutCoversTheAddressesTheHealGivesBack() throws Exception {
        assertThat(udpArrives(aNs, bNs, "fd78:2::1", 3000)).as("before").isTrue();
        LinkCut cut = LinkCut.cut(aNs, "eth0");
        assertThat(Ip.ok("-n", a, "-6", "addr", "show", "dev", "eth0")).doesNotContain("fd78:1::1");
        try (Partition p = Partition.between(List.of(aNs), List.of(bNs))) {
            cut.heal();
            assertThat(Ip.ok("-n", a, "-6", "addr", "show", "dev", "eth0")).contains("fd78:1::1");
            assertThat(udpArrives(aNs, bNs, "10.78.2.1", 1000))
                    .as("IPv4 across")
                    .isFalse();
            assertThat(udpArrives(aNs, bNs, "fd78:2::1", 1000))
                    .as("IPv6 across")
                    .isFalse();
        }
        assertThat(udpArrives(aNs, bNs, "fd78:2::1", 3000)).as("healed").isTrue();
    }

    /** One datagram from {@code from} to {@code to} at {@code address}, retried until it arrives or the time is up. */
    private static boolean udpArrives(NetNamespace from, NetNamespace to, String address, int waitMillis)
            throws Exception {
        try (DatagramChannel rx = to.openDatagramChannel();
                DatagramChannel tx = from.openDatagramChannel()) {
            rx.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            rx.socket().setSoTimeout(100);
            long deadline = System.nanoTime() + waitMillis * 1_000_000L;
            while (System.nanoTime() < deadline) {
                tx.send(ByteBuffer.wrap("x".getBytes()), rx.getLocalAddress());
                try {
                    rx.socket().receive(new DatagramPacket(new byte[16], 16));
                    return true;
                } catch (SocketTimeoutException e) {
                    // the link may still be coming up: send again
                }
            }
            return false;
        }
    }
}
