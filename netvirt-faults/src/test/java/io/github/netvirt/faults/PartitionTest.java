package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.faults.testing.Lan;
import io.github.netvirt.netlink.nftables.NftHandle;
import io.github.netvirt.netlink.nftables.Table;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@RequiresRoot
class PartitionTest {
    @RegisterExtension
    static final Lan lan = Lan.perClass(3);

    @Test
    void partitionSplitsTwoSidesAndHealRestoresEverything() {
        String a = lan.names.get(0);
        String b = lan.names.get(1);
        String c = lan.names.get(2);
        try (Partition p = Partition.between(List.of(lan.host(0), lan.host(1)), List.of(lan.host(2)))) {
            assertThat(nftTables(lan.host(2))).contains("netvirt_fault_");
            ReachabilityReport r = Reachability.pingAll(lan.byName(), Duration.ofSeconds(1));
            assertThat(r.reachable(a, b)).as(r.toString()).isTrue();
            assertThat(r.reachable(b, a)).isTrue();
            assertThat(r.reachable(a, c)).isFalse();
            assertThat(r.reachable(c, a)).isFalse();
            assertThat(r.reachable(b, c)).isFalse();
            assertThat(r.reachable(c, b)).isFalse();
            assertThat(r.failures()).hasSize(4).allMatch(f -> f.outcome() == Outcome.TIMEOUT);
            p.heal();
            assertThat(p.isActive()).isFalse();
        }
        assertThat(nftTables(lan.host(2))).doesNotContain("netvirt_fault_");
        ReachabilityReport healed = Reachability.pingAll(lan.byName(), Duration.ofSeconds(1));
        assertThat(healed.allReachable()).as(healed.toString()).isTrue();
    }

    /** A datagram from lan host {@code from} to host {@code to}'s {@code port} (0: any free port), and whether it arrives. */
    record Udp(int from, int to, int port, boolean arrives) {}

    /**
     * A fault on UDP: what arrives while it holds, and what arrives again once it is healed. Made when
     * the test runs (the lan is made for the class).
     */
    static Stream<Arguments> udpFaults() {
        return Stream.of(
                Arguments.of(
                        "one-way loss drops one direction only",
                        (Supplier<Fault>) () -> OneWayLoss.drop(lan.host(0), lan.host(1)),
                        List.of(new Udp(0, 1, 0, false), new Udp(1, 0, 0, true)),
                        new Udp(0, 1, 0, true)),
                Arguments.of(
                        "a partition by port cuts only that port",
                        (Supplier<Fault>)
                                () -> Partition.between(List.of(lan.host(0)), List.of(lan.host(1)), Port.udp(7001)),
                        List.of(
                                new Udp(0, 1, 7001, false),
                                new Udp(1, 0, 7001, false),
                                new Udp(0, 1, 7002, true),
                                new Udp(1, 0, 7002, true)),
                        new Udp(0, 1, 7001, true)),
                Arguments.of(
                        "one-way loss by port drops one direction of one port",
                        (Supplier<Fault>) () -> OneWayLoss.drop(lan.host(0), lan.host(2), Port.udp(7003), 1.0),
                        List.of(new Udp(0, 2, 7003, false), new Udp(2, 0, 7003, true), new Udp(0, 2, 7004, true)),
                        new Udp(0, 2, 7003, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void udpFaults(String label, Supplier<Fault> fault, List<Udp> whileActive, Udp healed) throws Exception {
        try (Fault f = fault.get()) {
            for (Udp u : whileActive) {
                assertUdp(u);
            }
        }
        assertUdp(healed);
    }

    @Test
    void aCutLinkFailsUntilHealed() throws Exception {
        String host1 = lan.names.get(1);
        try (LinkCut cut = LinkCut.cut(lan.host(1), "eth0")) {
            assertThat(Ip.ok("-n", host1, "-j", "link", "show", "dev", "eth0")).doesNotContain("\"UP\"");
            assertUdp(new Udp(0, 1, 0, false));
        }
        assertThat(Ip.ok("-n", host1, "-j", "link", "show", "dev", "eth0")).contains("\"UP\"");
        // healed: the link comes back up first, so this waits longer
        assertThat(udpArrives(lan.host(0), lan.host(1), 1, 0, 5000))
                .as("after heal")
                .isTrue();
    }

    @Test
    void invalidPartitionsAreRejected() {
        assertThatThrownBy(() -> Partition.between(List.of(lan.host(0)), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both sides");
        assertThatThrownBy(() -> Partition.between(List.of(lan.host(0)), List.of(lan.host(0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both sides");
        assertThatThrownBy(() -> OneWayLoss.drop(lan.host(0), lan.host(1), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fraction");
    }

    /** Asserts {@code u}: waited for 3 s when the datagram should arrive, for 500 ms when it should not. */
    private static void assertUdp(Udp u) throws Exception {
        assertThat(udpArrives(lan.host(u.from()), lan.host(u.to()), u.to(), u.port(), u.arrives() ? 3000 : 500))
                .as("%s", u)
                .isEqualTo(u.arrives());
    }

    /**
     * Sends one datagram from {@code from} to host index {@code toIndex} in {@code to}, to {@code port}
     * (0: any free port); true if it arrived within {@code waitMillis}.
     */
    private static boolean udpArrives(NetNamespace from, NetNamespace to, int toIndex, int port, int waitMillis)
            throws Exception {
        try (DatagramChannel rx = to.openDatagramChannel();
                DatagramChannel tx = from.openDatagramChannel()) {
            rx.bind(new InetSocketAddress(Lan.address(toIndex), port));
            tx.send(ByteBuffer.wrap("x".getBytes()), rx.getLocalAddress());
            rx.socket().setSoTimeout(waitMillis);
            try {
                rx.socket().receive(new DatagramPacket(new byte[16], 16));
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
    }

    /** The names of the namespace's nftables tables, read through netvirt-netlink (no nft program). */
    static String nftTables(NetNamespace ns) {
        try (NftHandle nft = NftHandle.open(ns)) {
            return nft.tables().stream().map(Table::name).toList().toString();
        }
    }
}
