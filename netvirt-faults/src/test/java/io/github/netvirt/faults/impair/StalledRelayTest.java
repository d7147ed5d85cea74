package io.github.netvirt.faults.impair;

import static io.github.netvirt.faults.impair.ImpairedLinkTest.A;
import static io.github.netvirt.faults.impair.ImpairedLinkTest.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.faults.impair.ImpairedLink.Direction;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.impair.Impairment;
import io.github.netvirt.tap.impair.Verdict;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A held-back frame goes alone only when its relay found the link idle for the hold's time, not when
 * the relay's own thread was kept from running that long with the next frame already waiting.
 */
@RequiresRoot
class StalledRelayTest {

    @Test
    void aFrameThatCameWhileTheRelayStalledStillLetsTheHeldOneGoAfterIt() throws Exception {
        try (NetNamespace na = NetNamespace.ephemeral();
                NetNamespace nb = NetNamespace.ephemeral();
                ImpairedLink link = ImpairedLink.open(
                        Endpoint.of(na, "fsa", A, 24), Endpoint.of(nb, "fsb", B, 24), Impairment.none(), 11);
                DatagramChannel rx = nb.openDatagramChannel();
                DatagramChannel tx = na.openDatagramChannel()) {
            rx.bind(new InetSocketAddress(B, 5000));
            tx.send(ByteBuffer.allocate(4).putInt(0, -1), rx.getLocalAddress()); // ARP resolved first
            rx.receive(ByteBuffer.allocate(4));
            // every frame that comes when none is held is held back for the next
            link.impairment(Direction.A_TO_B, Impairment.none().withReorder(1.0));
            tx.send(ByteBuffer.allocate(4).putInt(0, 0), rx.getLocalAddress());
            while (link.verdicts(Direction.A_TO_B).size() < 2) {
                Thread.sleep(1);
            }
            // the whole JVM, relay included, stopped for longer than a hold while datagram 1 comes in
            na.exec(
                    "bash",
                    "-c",
                    "kill -STOP " + ProcessHandle.current().pid()
                            + "; printf '\\x00\\x00\\x00\\x01' > /dev/udp/" + B.getHostAddress() + "/5000"
                            + "; sleep 0.8; kill -CONT "
                            + ProcessHandle.current().pid());
            List<Integer> got = new ArrayList<>();
            rx.socket().setSoTimeout(2000);
            DatagramPacket p = new DatagramPacket(new byte[4], 4);
            try {
                while (got.size() < 2) {
                    rx.socket().receive(p);
                    got.add(ByteBuffer.wrap(p.getData()).getInt());
                }
            } catch (SocketTimeoutException e) {
                // what came is asserted below
            }
            // before: [0, 1], datagram 0 let go alone on the relay's first look after the stall, and
            // datagram 1 held back in turn (its verdict "reordered")
            assertThat(got).containsExactly(1, 0);
            assertThat(link.verdicts(Direction.A_TO_B).subList(1, 3))
                    .extracting(Verdict::reordered)
                    .containsExactly(true, false);
            assertThat(link.stats(Direction.A_TO_B).reordered()).isEqualTo(1);
            assertThat(link.stats(Direction.A_TO_B).holdTimeouts()).isZero();
        }
    }
}
