package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.Topology;
import io.github.netvirt.faults.impair.ImpairedLink;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.impair.Impairment;
import io.github.netvirt.tap.impair.Verdict;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@NetvirtTest
class ImpairTest {
    /** Two hosts with nothing between them: the impaired link is their only path. */
    @Network
    TestNetwork net = TestNetwork.of(Topology.create().ns("a").ns("b"));

    @Test
    void anImpairedLinkBetweenTwoHostsOfTheTopologyDropsWhatItsVerdictsSay(
            @Host("a") NetNamespace a, @Host("b") NetNamespace b) throws Exception {
        ImpairedLink link = net.impair(
                "a", "10.2.0.1/24", "b", "10.2.0.2/24", Impairment.none().withDelay(Duration.ofMillis(1)), 7);
        assertThat(link.deviceA()).isEqualTo("imp0");
        try (DatagramChannel rx = b.openDatagramChannel();
                DatagramChannel tx = a.openDatagramChannel()) {
            rx.bind(new InetSocketAddress("10.2.0.2", 5000));
            rx.socket().setSoTimeout(3000);
            tx.send(ByteBuffer.allocate(1), rx.getLocalAddress()); // resolves ARP, unimpaired loss-wise
            rx.socket().receive(new DatagramPacket(new byte[1], 1));
            link.impairment(ImpairedLink.Direction.A_TO_B, Impairment.none().withLoss(0.5));
            for (int i = 0; i < 40; i++) {
                tx.send(ByteBuffer.allocate(4).putInt(0, i), rx.getLocalAddress());
            }
            rx.socket().setSoTimeout(1000);
            int got = 0;
            try {
                while (true) {
                    rx.socket().receive(new DatagramPacket(new byte[4], 4));
                    got++;
                }
            } catch (SocketTimeoutException end) {
                // all in
            }
            long kept = link.verdicts(ImpairedLink.Direction.A_TO_B).stream()
                    .skip(1)
                    .filter(v -> !v.dropped())
                    .count();
            assertThat(got).isEqualTo(kept).isBetween(5, 35);
            assertThat(link.verdicts(ImpairedLink.Direction.A_TO_B))
                    .hasSize(41)
                    .first()
                    .extracting(Verdict::dropped)
                    .isEqualTo(false);
        }
        assertThat(net.describe()).contains("seed 7").contains("-Dnetvirt.seed=7");
        assertThatThrownBy(() -> net.impair("a", "10.2.0.3", "b", "10.2.0.4/24", Impairment.none(), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix length");
    }
}
