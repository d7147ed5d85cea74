package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.ConditionedLink;
import io.github.netvirt.core.Topology;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.impair.Verdict;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A condition on a live link as a {@link Fault}, over real TCP: delay and jitter slow a round trip
 * by what was asked (never less), loss is recovered by TCP (the bytes arrive intact), and heal()
 * brings the link back, round trips as fast as before.
 */
@RequiresRoot
class LinkConditionFaultTest {
    static Topology pair() {
        return Topologies.twoHosts("a", "b", "10.8.0").ephemeral().apply();
    }

    /** Sends {@code bytes} random bytes a -> b over TCP; returns the ms it took, after checking they arrived intact. */
    static double transfer(Topology t, int port, int bytes) throws Exception {
        byte[] data = new byte[bytes];
        new Random(port).nextBytes(data);
        try (ServerSocketChannel ss = t.namespace("b").openServerSocketChannel()) {
            ss.bind(new InetSocketAddress("10.8.0.2", port));
            CompletableFuture<byte[]> sink = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel c = ss.accept()) {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
                    while (c.read(buf) >= 0) {
                        buf.flip();
                        md.update(buf);
                        buf.clear();
                    }
                    return md.digest();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            try (SocketChannel c = t.namespace("a").openSocketChannel()) {
                c.connect(new InetSocketAddress("10.8.0.2", port));
                ByteBuffer out = ByteBuffer.wrap(data);
                while (out.hasRemaining()) {
                    c.write(out);
                }
            }
            assertThat(sink.get(60, TimeUnit.SECONDS))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    /** The ms a TCP connect a -> b takes (SYN, SYN-ACK), the listening socket's backlog taking it. */
    static double connectMillis(Topology t, int port) throws Exception {
        try (ServerSocketChannel ss = t.namespace("b").openServerSocketChannel();
                SocketChannel c = t.namespace("a").openSocketChannel()) {
            ss.bind(new InetSocketAddress("10.8.0.2", port));
            long t0 = System.nanoTime();
            c.connect(new InetSocketAddress("10.8.0.2", port));
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    @Test
    void delayJitterAndLossOnALiveLinkHeal() throws Exception {
        try (Topology t = pair()) {
            transfer(t, 7400, 1000); // ARP resolved
            LinkCondition slow = LinkCondition.NONE
                    .withDelay(Duration.ofMillis(30))
                    .withJitter(Duration.ofMillis(10))
                    .withLoss(0.05)
                    .withSeed(5);
            Fault f = LinkConditionFault.on(t, "a", "eth0", slow);
            ConditionedLink link = ((LinkConditionFault) f).link();
            assertThat(f.isActive()).isTrue();
            // SYN, SYN-ACK: at least one round trip of at least 2 x 20 ms
            double ms = transfer(t, 7401, 200_000);
            assertThat(ms).isGreaterThanOrEqualTo(40.0);
            if (link.mode() == ConditionedLink.Mode.RELAY) {
                var v = link.verdicts(ConditionedLink.Direction.A_TO_B);
                assertThat(v).isNotEmpty();
                assertThat(v)
                        .filteredOn(x -> !x.dropped())
                        .allMatch(x -> x.delayNanos() >= 20_000_000 && x.delayNanos() <= 40_000_000);
                System.out.println("live condition delay 30ms jitter 10ms loss 5%: 200 kB over TCP in " + ms + " ms, "
                        + v.stream().filter(Verdict::dropped).count() + " of " + v.size() + " frames a->b lost");
            }
            assertThatThrownBy(() -> LinkConditionFault.on(t, "b", "eth0", slow))
                    .isInstanceOf(NetlinkException.class);
            f.heal();
            f.heal();
            assertThat(f.isActive()).isFalse();
            assertThat(t.conditions()).isEmpty();
            transfer(t, 7402, 1000);
            // one round trip, the fastest of a few: the condition left in force would make each one 40 ms at the least
            assertThat(Math.min(connectMillis(t, 7403), Math.min(connectMillis(t, 7404), connectMillis(t, 7405))))
                    .isLessThan(20.0);
            assertThat(t.linkList("a")).extracting(l -> l.name()).containsExactlyInAnyOrder("lo", "eth0");
        }
    }

    /** The README's link-condition example ({@link Topologies#readmeLinkCondition}), with checks of what it says. */
    @Test
    void readmeExample() {
        Topology t = Topologies.readmeLinkCondition().apply();
        try (t) {
            try (Fault slow = LinkConditionFault.on(
                    t,
                    "server",
                    "eth0",
                    LinkCondition.NONE
                            .withDelay(Duration.ofMillis(200))
                            .withLoss(0.05)
                            .withSeed(7))) {
                assertThat(t.conditions()).hasSize(2);
                assertThat(slow.isActive()).isTrue();
            }
            assertThat(t.conditions()).hasSize(1);
            String script = t.conditions().get(0).toScript();
            assertThat(script).containsAnyOf("mirred egress redirect", "netem");
            assertThat(script).contains("rate 10000000bit");
            assertThat(t.conditions().get(0).condition()).hasToString("rate 10mbit delay 40ms 5ms loss 1%");
        }
    }

    @Test
    void onlyVethEndsTakeAConditionAndAnEmptyOneIsRefused() throws Exception {
        try (Topology t = Topology.create().ephemeral().ns("a").bridge("br").apply()) {
            assertThatThrownBy(() -> LinkConditionFault.on(t, "a", "br", LinkCondition.NONE.withLoss(0.1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("veth");
        }
        try (Topology t = pair()) {
            assertThatThrownBy(() -> LinkConditionFault.on(t, "a", "eth0", LinkCondition.NONE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty");
            assertThat(t.conditions()).isEmpty();
        }
    }
}
