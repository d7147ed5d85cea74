package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The first datagram after {@link Topology#up}: a cable of the seed mended after {@link Topology#down},
 * one end or the other in turn, and a datagram from net0 to net1 at once (the down took net0's
 * neighbour entry or the bridge's port: it needs ARP). Setting a veth end up turns its peer's
 * carrier on too, and the peer is only half up until the kernel's linkwatch work has run for it (its
 * qdisc still {@code noop}; as a bridge port, still disabled). Before up() had the kernel finish
 * that, the datagram came one ARP retransmission (1 s) late after nearly every up of the bridge's
 * end (the peer, net0's end, in another namespace) and now and then after an up of net0's end. The
 * test does not read the links between up() and the datagram: reading a link by itself makes the
 * kernel finish it (Linux 6.8 and later), and hid the defect.
 */
@RequiresRoot
class FirstDatagramAfterUpTest {
    private static final int ROUNDS = 120;
    private static final long BUDGET_NANOS = 60_000_000_000L;
    private static final String[][] CABLES = {
        {"net0", "net0-bridge", "bridge", "bridge-net0"},
        {"bridge", "bridge-net0", "net0", "net0-bridge"},
    };

    @Test
    void theFirstDatagramAfterUpArrivesAtOnce() throws Exception {
        List<String> late = new ArrayList<>();
        long start = System.nanoTime();
        int rounds = 0;
        try (Topology t = Seeds.seed().prefix(TestNames.unique("fu") + "-").apply();
                DatagramChannel rx = t.namespace("net1").openDatagramChannel();
                DatagramChannel tx = t.namespace("net0").openDatagramChannel();
                Selector sel = Selector.open()) {
            rx.bind(new InetSocketAddress("10.0.1.2", 7000));
            rx.configureBlocking(false);
            rx.register(sel, SelectionKey.OP_READ);
            while (rounds < ROUNDS && System.nanoTime() - start < BUDGET_NANOS) {
                String[] cable = CABLES[rounds % CABLES.length];
                rounds++;
                // the down flushes net0's neighbour entry (or the bridge forgets the port): the datagram needs ARP
                t.down(cable[0], cable[1]);
                t.up(cable[0], cable[1]);
                tx.send(ByteBuffer.wrap(new byte[] {(byte) rounds}), new InetSocketAddress("10.0.1.2", 7000));
                // well under the 1 s of an ARP retransmission, well over a datagram's way through a bridge
                if (sel.select(500) == 0) {
                    late.add("round " + rounds + " (" + cable[1] + " up): nothing after 500 ms");
                    sel.select(2000); // a late one, before the next round
                }
                sel.selectedKeys().clear();
                ByteBuffer b = ByteBuffer.allocate(16);
                while (rx.receive(b) != null) {
                    b.clear();
                }
            }
        }
        assertThat(late).as("late first datagrams in " + rounds + " rounds").isEmpty();
    }
}
