package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.faults.testing.Lan;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RequiresRoot
class PartitionTest {
    static Lan lan;

    @BeforeAll
    static void up() {
        lan = new Lan(3);
    }

    @AfterAll
    static void down() {
        if (lan != null) {
            lan.close();
        }
    }

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
    void aCutLinkFailsUntilHealed() throws Exception {
        String host1 = lan.names.get(1);
        try (LinkCut cut = LinkCut.cut(lan.host(1), "eth0")) {
            assertThat(io.github.netvirt.netns.testing.Ip.ok("-n", host1, "-j", "link", "show", "dev", "eth0"))
                    .doesNotContain("\"UP\"");
            assertThat(udpArrives(lan.host(0), lan.host(1), 1, 500)).isFalse();
        }
        assertThat(io.github.netvirt.netns.testing.Ip.ok("-n", host1, "-j", "link", "show", "dev", "eth0")).contains("\"UP\"");
        assertThat(udpArrives(lan.host(0), lan.host(1), 1, 5000)).as("after heal").isTrue();
    }

    @Test
    void invalidPartitionsAreRejected() {
        assertThatThrownBy(() -> Partition.between(List.of(lan.host(0)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both sides");
        assertThatThrownBy(() -> Partition.between(List.of(lan.host(0)), List.of(lan.host(0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both sides");
        assertThatThrownBy(() -> OneWayLoss.drop(lan.host(0), lan.host(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fraction");
    }

    /** Sends one datagram from {@code from} to host index {@code toIndex} in {@code to}; true if it arrived. */
    private static boolean udpArrives(NetNamespace from, NetNamespace to, int toIndex, int waitMillis) throws Exception {
        try (DatagramChannel rx = to.openDatagramChannel(); DatagramChannel tx = from.openDatagramChannel()) {
            rx.bind(new InetSocketAddress(Lan.address(toIndex), 0));
            tx.send(ByteBuffer.wrap("x".getBytes()), rx.getLocalAddress());
            rx.socket().setSoTimeout(waitMillis);
            try {
                rx.socket().receive(new java.net.DatagramPacket(new byte[16], 16));
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }
    }

    static String nftTables(NetNamespace ns) {
        try {
            return ns.exec("nft", "list", "tables").stdout();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
