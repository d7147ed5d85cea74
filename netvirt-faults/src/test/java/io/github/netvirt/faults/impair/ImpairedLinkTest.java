package io.github.netvirt.faults.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.faults.impair.ImpairedLink.Direction;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.impair.Impairment;
import io.github.netvirt.tap.impair.RelayStats;
import io.github.netvirt.tap.impair.Verdict;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@RequiresRoot
class ImpairedLinkTest {
    static final InetAddress A = addr("10.78.0.1");
    static final InetAddress B = addr("10.78.0.2");

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    record Run(List<Integer> received, List<Verdict> verdicts, RelayStats stats) {}

    /** Sends datagrams 0..n-1 from A to B through a fresh impaired link and returns what B received, in order. */
    static Run udpThrough(Impairment impairment, long seed, int n) throws Exception {
        try (NetNamespace na = NetNamespace.ephemeral();
                NetNamespace nb = NetNamespace.ephemeral();
                ImpairedLink link = ImpairedLink.open(
                        Endpoint.of(na, "fja", A, 24), Endpoint.of(nb, "fjb", B, 24), Impairment.none(), seed);
                DatagramChannel rx = nb.openDatagramChannel();
                DatagramChannel tx = na.openDatagramChannel()) {
            rx.bind(new InetSocketAddress(B, 5000));
            // one unimpaired datagram first, so that ARP is resolved before the burst: the kernel
            // would otherwise queue (and partly drop) the burst while it waits for the ARP reply
            tx.send(ByteBuffer.allocate(4).putInt(0, -1), rx.getLocalAddress());
            rx.receive(ByteBuffer.allocate(4));
            link.impairment(Direction.A_TO_B, impairment);
            ByteBuffer out = ByteBuffer.allocate(4);
            for (int i = 0; i < n; i++) {
                out.clear();
                out.putInt(i).flip();
                tx.send(out, rx.getLocalAddress());
            }
            List<Integer> got = new ArrayList<>();
            rx.socket().setSoTimeout(1000); // the end of the stream: nothing more for a second
            DatagramPacket p = new DatagramPacket(new byte[4], 4);
            while (true) {
                try {
                    rx.socket().receive(p);
                    got.add(ByteBuffer.wrap(p.getData()).getInt());
                } catch (SocketTimeoutException e) {
                    break;
                }
            }
            return new Run(got, link.verdicts(Direction.A_TO_B), link.stats(Direction.A_TO_B));
        }
    }

    @Test
    void oneSeedReplaysTheSameDropsDuplicatesAndReorderings() throws Exception {
        Impairment i = Impairment.none().withLoss(0.2).withDuplicate(0.1).withReorder(0.1);
        Run first = udpThrough(i, 1234, 200);
        Run second = udpThrough(i, 1234, 200);
        // a sender kept from running for a hold's time mid-burst lets a held frame go alone (the one
        // timing-dependent verdict): only then is the pair measured again
        for (int again = 0;
                again < 2 && first.stats().holdTimeouts() != second.stats().holdTimeouts();
                again++) {
            first = udpThrough(i, 1234, 200);
            second = udpThrough(i, 1234, 200);
        }
        Run other = udpThrough(i, 4321, 200);

        assertThat(first.verdicts()).hasSize(201); // the warm-up datagram, then 0..199
        assertThat(second.verdicts()).isEqualTo(first.verdicts());
        assertThat(second.received()).isEqualTo(first.received());
        assertThat(other.received()).isNotEqualTo(first.received());

        // the decisions really happened on the wire
        long drops = first.verdicts().stream().skip(1).filter(Verdict::dropped).count();
        long dups =
                first.verdicts().stream().skip(1).filter(Verdict::duplicated).count();
        assertThat(drops).isPositive();
        assertThat(first.received()).hasSize((int) (200 - drops + dups));
        for (Verdict v : first.verdicts().subList(1, 201)) {
            int id = (int) v.frame() - 1;
            long copies = first.received().stream().filter(x -> x == id).count();
            assertThat(copies).as("copies of datagram %d", id).isEqualTo(v.dropped() ? 0 : v.duplicated() ? 2 : 1);
        }
        assertThat(first.received())
                .as("reordered")
                .isNotEqualTo(first.received().stream().sorted().toList());
        assertThat(first.stats().unimpaired()).as("ARP passes untouched").isPositive();
    }

    @Test
    void reorderedVerdictsAreTheFramesHeldBackAndEachSwapsOnePair() throws Exception {
        for (double p : new double[] {0.5, 1.0}) {
            Run run = udpThrough(Impairment.none().withReorder(p), 77, 200);
            // a sender kept from running for a hold's time mid-burst lets a held frame go alone,
            // swapping nothing: only then is the run measured again, and a timeout left is counted
            for (int again = 0; again < 2 && run.stats().holdTimeouts() > 0; again++) {
                run = udpThrough(Impairment.none().withReorder(p), 77, 200);
            }
            long timeouts = run.stats().holdTimeouts();
            long verdicts = run.verdicts().stream().filter(Verdict::reordered).count();
            int inversions = 0;
            for (int k = 1; k < run.received().size(); k++) {
                if (run.received().get(k) < run.received().get(k - 1)) {
                    inversions++;
                }
            }
            assertThat(run.received()).as("p=%s: nothing lost", p).hasSize(200);
            assertThat(run.stats().reordered())
                    .as("p=%s: frames held back = reordered verdicts", p)
                    .isEqualTo(verdicts);
            assertThat(inversions)
                    .as("p=%s: inversions at the receiver (%d held frames let go alone)", p, timeouts)
                    .isEqualTo((int) (verdicts - timeouts));
            if (p == 1.0 && timeouts == 0) {
                assertThat(verdicts).as("every other frame is held back").isEqualTo(100);
            } else {
                assertThat(verdicts).isPositive();
            }
        }
    }

    @Test
    void tcpCrossesALossyReorderingLinkIntact() throws Exception {
        Impairment i = Impairment.none()
                .withDelay(Duration.ofMillis(2), Duration.ofMillis(1))
                .withLoss(0.03)
                .withDuplicate(0.03)
                .withReorder(0.03);
        byte[] data = new byte[300_000];
        new Random(5).nextBytes(data);
        try (NetNamespace na = NetNamespace.ephemeral();
                NetNamespace nb = NetNamespace.ephemeral();
                ImpairedLink link =
                        ImpairedLink.open(Endpoint.of(na, "fja", A, 24), Endpoint.of(nb, "fjb", B, 24), i, 99);
                ServerSocketChannel ss = nb.openServerSocketChannel()) {
            ss.bind(new InetSocketAddress(B, 6000));
            Future<byte[]> rx = nb.submit(() -> {
                try (SocketChannel c = ss.accept()) {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    ByteBuffer b = ByteBuffer.allocate(65536);
                    while (c.read(b) >= 0) {
                        b.flip();
                        md.update(b);
                        b.clear();
                    }
                    return md.digest();
                }
            });
            try (SocketChannel c = na.openSocketChannel()) {
                c.connect(new InetSocketAddress(B, 6000));
                c.write(ByteBuffer.wrap(data));
            }
            assertThat(rx.get()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            RelayStats s = link.stats(Direction.A_TO_B);
            assertThat(s.dropped()).isPositive();
            assertThat(s.delivered()).isGreaterThan(200);
            assertThat(link.stats(Direction.B_TO_A).delivered()).isPositive();
        }
    }

    @Test
    void delayIsAddedInEachDirection() throws Exception {
        try (NetNamespace na = NetNamespace.ephemeral();
                NetNamespace nb = NetNamespace.ephemeral();
                ImpairedLink link = ImpairedLink.open(
                        Endpoint.of(na, "fja", A, 24), Endpoint.of(nb, "fjb", B, 24), Impairment.none(), 1);
                ServerSocketChannel ss = nb.openServerSocketChannel()) {
            ss.bind(new InetSocketAddress(B, 6001));
            long fast = connectNanos(na, ss); // also resolves ARP
            link.impairment(Direction.A_TO_B, Impairment.none().withDelay(Duration.ofMillis(40)));
            link.impairment(Direction.B_TO_A, Impairment.none().withDelay(Duration.ofMillis(40)));
            long slow = connectNanos(na, ss);
            assertThat(Duration.ofNanos(slow)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
            assertThat(slow).isGreaterThan(fast);
        }
    }

    @Test
    void closeRemovesBothDevicesAndBadInputIsRejected() throws Exception {
        try (NetNamespace na = NetNamespace.ephemeral();
                NetNamespace nb = NetNamespace.ephemeral()) {
            ImpairedLink link = ImpairedLink.open(
                    Endpoint.of(na, "fj%d", A, 24), Endpoint.of(nb, "fjb", B, 24), Impairment.none(), 3);
            assertThat(link.deviceA()).isEqualTo("fj0");
            assertThat(na.exec("ip", "-j", "addr", "show", "dev", "fj0").stdout())
                    .contains("10.78.0.1")
                    .contains("\"UP\"");
            assertThat(link.isOpen()).isTrue();
            link.close();
            link.close();
            assertThat(link.isOpen()).isFalse();
            assertThat(na.exec("ip", "-j", "link").stdout()).doesNotContain("fj0");
            assertThat(nb.exec("ip", "-j", "link").stdout()).doesNotContain("fjb");

            assertThatThrownBy(() -> Endpoint.of(na, "a-name-too-long-x", A, 24))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("interface name");
            assertThatThrownBy(() -> Endpoint.of(na, "fja", A, 33))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prefix");
            // a failure half-way (address clash on side B) leaves no device behind on side A
            Endpoint dup = Endpoint.of(nb, "fjb", B, 24);
            try (ImpairedLink first = ImpairedLink.open(Endpoint.of(na, "fja", A, 24), dup, Impairment.none(), 1)) {
                assertThatThrownBy(() -> ImpairedLink.open(Endpoint.of(na, "fjc", A, 24), dup, Impairment.none(), 1))
                        .isInstanceOf(RuntimeException.class);
                assertThat(na.exec("ip", "-j", "link").stdout()).doesNotContain("fjc");
            }
        }
    }

    @Test
    void anEmptyDeviceNameIsFilledInByTheKernel() throws Exception {
        try (NetNamespace na = NetNamespace.ephemeral();
                NetNamespace nb = NetNamespace.ephemeral();
                ImpairedLink link = ImpairedLink.open(
                        Endpoint.of(na, "", A, 24), Endpoint.of(nb, "", B, 24), Impairment.none(), 5)) {
            assertThat(link.deviceA()).matches("tap[0-9]+");
            assertThat(link.deviceB()).matches("tap[0-9]+");
            assertThat(na.exec("ip", "-j", "addr", "show", "dev", link.deviceA())
                            .stdout())
                    .contains("10.78.0.1")
                    .contains("\"UP\"");
            assertThat(nb.exec("ip", "-j", "addr", "show", "dev", link.deviceB())
                            .stdout())
                    .contains("10.78.0.2");
        }
    }

    static long connectNanos(NetNamespace from, ServerSocketChannel ss) throws Exception {
        long start = System.nanoTime();
        try (SocketChannel c = from.openSocketChannel()) {
            c.connect(ss.getLocalAddress());
            long t = System.nanoTime() - start;
            ss.accept().close();
            return t;
        }
    }
}
