package io.github.netvirt.faults.impair;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.faults.impair.ImpairedLink.Direction;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.impair.Impairment;
import io.github.netvirt.tap.impair.Verdict;
import java.net.DatagramPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An {@link Endpoint} takes any {@link InetAddress}, and {@link ImpairedLink} impairs IPv4 and IPv6
 * frames: an IPv6 endpoint's TAP keeps IPv6 on and carries its address, usable at once. It failed
 * late: both TAPs made with IPv6 off, the relay's threads started, then the kernel's EACCES ("IPv6 is
 * disabled on this device"). Neighbour discovery, unicast too, passes untouched: only the traffic
 * under test consumes the seeded decisions.
 */
@RequiresRoot
class Ipv6EndpointTest {
    private static final InetAddress A = ImpairedLinkTest.addr("fd00:4846::1");
    private static final InetAddress B = ImpairedLinkTest.addr("fd00:4846::2");

    @Test
    void anIpv6LinkCarriesImpairedTrafficAndOnlyItConsumesDecisions() throws Exception {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral();
                ImpairedLink link = ImpairedLink.open(
                        Endpoint.of(a, "hFa", A, 64), Endpoint.of(b, "hFb", B, 64), Impairment.none(), 1);
                DatagramChannel rx = b.openDatagramChannel();
                DatagramChannel tx = a.openDatagramChannel()) {
            assertThat(ipv6Globals(a)).containsExactly("fd00:4846:0:0:0:0:0:1");
            assertThat(ipv6Globals(b)).containsExactly("fd00:4846:0:0:0:0:0:2");
            rx.bind(new InetSocketAddress(B, 5000));
            DatagramPacket p = new DatagramPacket(new byte[4], 4);
            // one unimpaired datagram first, so that neighbour discovery is done before the burst
            tx.send(ByteBuffer.allocate(4).putInt(0, -1), rx.getLocalAddress());
            rx.socket().setSoTimeout(30_000);
            rx.socket().receive(p);
            assertThat(ByteBuffer.wrap(p.getData()).getInt()).isEqualTo(-1);
            link.impairment(Direction.A_TO_B, Impairment.none().withLoss(0.3));
            ByteBuffer out = ByteBuffer.allocate(4);
            for (int i = 0; i < 100; i++) {
                out.clear();
                out.putInt(i).flip();
                tx.send(out, rx.getLocalAddress());
            }
            List<Integer> got = new ArrayList<>();
            rx.socket().setSoTimeout(1000); // the end of the stream: nothing more for a second
            while (true) {
                try {
                    rx.socket().receive(p);
                    got.add(ByteBuffer.wrap(p.getData()).getInt());
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
            List<Verdict> verdicts = link.verdicts(Direction.A_TO_B);
            assertThat(verdicts)
                    .as("one verdict per datagram, none for neighbour discovery")
                    .hasSize(101);
            List<Integer> delivered = new ArrayList<>();
            for (Verdict v : verdicts.subList(1, 101)) {
                if (!v.dropped()) {
                    delivered.add((int) v.frame() - 1);
                }
            }
            assertThat(delivered).hasSizeLessThan(100);
            assertThat(got).isEqualTo(delivered);
            // b's neighbour advertisement to a is unicast, and passed untouched
            assertThat(link.verdicts(Direction.B_TO_A)).isEmpty();
        }
    }

    private static List<String> ipv6Globals(NetNamespace ns) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            return h.addrList().stream()
                    .filter(x -> !x.isIpv4())
                    .map(x -> x.prefix().address())
                    .filter(x -> x instanceof Inet6Address i && !i.isLinkLocalAddress() && !i.isLoopbackAddress())
                    .map(InetAddress::getHostAddress)
                    .toList();
        }
    }
}
