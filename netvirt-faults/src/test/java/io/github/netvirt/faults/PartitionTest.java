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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    @Test
    void oneWayLossDropsOneDirectionOnly() throws Exception {
        NetNamespace a = lan.host(0);
        NetNamespace b = lan.host(1);
        try (OneWayLoss loss = OneWayLoss.drop(a, b)) {
            assertThat(udpArrives(a, b, 1, 500)).as("a -> b").isFalse();
            assertThat(udpArrives(b, a, 0, 3000)).as("b -> a").isTrue();
        }
        assertThat(udpArrives(a, b, 1, 3000)).as("a -> b after heal").isTrue();
    }

    @Test
    void aPartitionByPortCutsOnlyThatPort() throws Exception {
        NetNamespace a = lan.host(0);
        NetNamespace b = lan.host(1);
        try (Partition p = Partition.between(List.of(a), List.of(b), Port.udp(7001))) {
            assertThat(udpArrives(a, b, 1, 7001, 500)).as("a -> b:7001").isFalse();
            assertThat(udpArrives(b, a, 0, 7001, 500)).as("b -> a:7001").isFalse();
            assertThat(udpArrives(a, b, 1, 7002, 3000)).as("a -> b:7002").isTrue();
            assertThat(udpArrives(b, a, 0, 7002, 3000)).as("b -> a:7002").isTrue();
        }
        assertThat(udpArrives(a, b, 1, 7001, 3000)).as("a -> b:7001 after heal").isTrue();
    }

    @Test
    void oneWayLossByPortDropsOneDirectionOfOnePort() throws Exception {
        NetNamespace a = lan.host(0);
        NetNamespace b = lan.host(2);
        try (OneWayLoss loss = OneWayLoss.drop(a, b, Port.udp(7003), 1.0)) {
            assertThat(udpArrives(a, b, 2, 7003, 500)).as("a -> b:7003").isFalse();
            assertThat(udpArrives(b, a, 0, 7003, 3000)).as("b -> a:7003").isTrue();
            assertThat(udpArrives(a, b, 2, 7004, 3000)).as("a -> b:7004").isTrue();
        }
        assertThat(udpArrives(a, b, 2, 7003, 3000)).as("a -> b:7003 after heal").isTrue();
    }

    @Test
    void aCutLinkFailsUntilHealed() throws Exception {
        String host1 = lan.names.get(1);
        try (LinkCut cut = LinkCut.cut(lan.host(1), "eth0")) {
            assertThat(Ip.ok("-n", host1, "-j", "link", "show", "dev", "eth0")).doesNotContain("\"UP\"");
            assertThat(udpArrives(lan.host(0), lan.host(1), 1, 500)).isFalse();
        }
        assertThat(Ip.ok("-n", host1, "-j", "link", "show", "dev", "eth0")).contains("\"UP\"");
        assertThat(udpArrives(lan.host(0), lan.host(1), 1, 5000))
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

    /** Sends one datagram from {@code from} to host index {@code toIndex} in {@code to}; true if it arrived. */
    private static boolean udpArrives(NetNamespace from, NetNamespace to, int toIndex, int waitMillis)
            throws Exception {
        return udpArrives(from, to, toIndex, 0, waitMillis);
    }

    /** As above, to {@code port} (0: any free port). */
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
