package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.faults.testing.Lan;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@RequiresRoot
class ReachabilityTest {
    @RegisterExtension
    static final Lan lan = Lan.perClass(3);

    @Test
    void awaitReachableReturnsOnceAServerListens() throws Exception {
        InetSocketAddress server = new InetSocketAddress(Lan.address(1), 8080);
        Future<?> late = Executors.newSingleThreadExecutor().submit(() -> {
            Thread.sleep(200);
            ServerSocketChannel ss = lan.host(1).openServerSocketChannel();
            ss.bind(server);
            return ss;
        });
        long start = System.nanoTime();
        Reachability.awaitReachable(lan.host(0), Lan.address(1), 8080, Duration.ofSeconds(5));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        ((ServerSocketChannel) late.get()).close();
    }

    /** The probe must not be what the server's first accept() returns: it completes no handshake. */
    @Test
    void awaitReachableLeavesNothingInTheAcceptQueue() throws Exception {
        try (ServerSocketChannel ss = lan.host(1).openServerSocketChannel()) {
            ss.bind(new InetSocketAddress(Lan.address(1), 8090));
            Reachability.awaitReachable(lan.host(0), Lan.address(1), 8090, Duration.ofSeconds(5));
            try (SocketChannel client = lan.host(0).openSocketChannel()) {
                client.connect(new InetSocketAddress(Lan.address(1), 8090));
                client.write(ByteBuffer.wrap("real".getBytes(StandardCharsets.US_ASCII)));
                try (SocketChannel first = ss.accept()) {
                    assertThat(first.getRemoteAddress()).isEqualTo(client.getLocalAddress());
                    ByteBuffer b = ByteBuffer.allocate(4);
                    first.socket().setSoTimeout(2000);
                    int n = first.read(b);
                    assertThat(n).isEqualTo(4);
                }
            }
        }
    }

    @Test
    void awaitReachableGivesUpWithTheLastProbe() {
        assertThatThrownBy(() -> Reachability.awaitReachable(lan.host(0), Lan.address(2), 8081, Duration.ofSeconds(1)))
                .isInstanceOf(UnreachableException.class)
                .hasMessageContaining("REFUSED")
                .hasMessageContaining("10.77.0.3:8081");
    }

    @Test
    void tcpProbeTellsConnectedRefusedAndSilenceApart() throws Exception {
        try (ServerSocketChannel ss = lan.host(1).openServerSocketChannel()) {
            ss.bind(new InetSocketAddress(Lan.address(1), 7000));
            assertThat(Reachability.tcp(lan.host(0), new InetSocketAddress(Lan.address(1), 7000), Duration.ofSeconds(2))
                            .outcome())
                    .isEqualTo(Outcome.CONNECTED);
        }
        assertThat(Reachability.tcp(lan.host(0), new InetSocketAddress(Lan.address(1), 7000), Duration.ofSeconds(2))
                        .outcome())
                .isEqualTo(Outcome.REFUSED);
        // 10.77.0.99 does not exist: ARP goes unanswered
        Probe silent =
                Reachability.tcp(lan.host(0), new InetSocketAddress(Lan.address(98), 7000), Duration.ofMillis(300));
        assertThat(silent.outcome().answered()).isFalse();
        // host 0 has no route to 192.0.2.1 at all
        assertThat(Reachability.tcp(lan.host(0), new InetSocketAddress("192.0.2.1", 80), Duration.ofSeconds(1))
                        .outcome())
                .isEqualTo(Outcome.UNREACHABLE);
    }

    @Test
    void synProbeTellsListeningRefusedSilenceAndNoRouteApartOverIpv4AndIpv6() throws Exception {
        Ip.ok("-n", lan.names.get(0), "addr", "add", "fd77::1/64", "dev", "eth0", "nodad");
        Ip.ok("-n", lan.names.get(1), "addr", "add", "fd77::2/64", "dev", "eth0", "nodad");
        for (String addr : new String[] {Lan.address(1).getHostAddress(), "fd77::2"}) {
            InetSocketAddress to = new InetSocketAddress(addr, 7010);
            try (ServerSocketChannel ss = lan.host(1).openServerSocketChannel()) {
                ss.bind(to);
                Probe p = Reachability.tcpSyn(lan.host(0), to, Duration.ofSeconds(2));
                assertThat(p.outcome()).as(p.toString()).isEqualTo(Outcome.LISTENING);
                ss.configureBlocking(false);
                assertThat(ss.accept()).as("nothing queued for accept()").isNull();
            }
            Probe refused = Reachability.tcpSyn(lan.host(0), to, Duration.ofSeconds(2));
            assertThat(refused.outcome()).as(refused.toString()).isEqualTo(Outcome.REFUSED);
        }
        Probe silent =
                Reachability.tcpSyn(lan.host(0), new InetSocketAddress(Lan.address(98), 7010), Duration.ofMillis(300));
        assertThat(silent.outcome().answered()).as(silent.toString()).isFalse();
        assertThat(Reachability.tcpSyn(lan.host(0), new InetSocketAddress("192.0.2.1", 80), Duration.ofSeconds(1))
                        .outcome())
                .isEqualTo(Outcome.UNREACHABLE);
    }

    @Test
    void udpProbeGetsAnEchoBackOrARefusal() throws Exception {
        try (DatagramChannel echo = lan.host(2).openDatagramChannel()) {
            echo.bind(new InetSocketAddress(Lan.address(2), 7007));
            Thread t = new Thread(() -> {
                try {
                    ByteBuffer b = ByteBuffer.allocate(1500);
                    var from = echo.receive(b);
                    b.flip();
                    echo.send(b, from);
                } catch (Exception ignored) {
                    // closed
                }
            });
            t.start();
            Probe p = Reachability.udp(
                    lan.host(0),
                    new InetSocketAddress(Lan.address(2), 7007),
                    "hello".getBytes(),
                    Duration.ofSeconds(2));
            assertThat(p.outcome()).isEqualTo(Outcome.REPLIED);
            assertThat(p.detail()).isEqualTo("5 bytes");
            t.join(2000);
        }
        assertThat(Reachability.udp(
                                lan.host(0),
                                new InetSocketAddress(Lan.address(2), 7007),
                                new byte[1],
                                Duration.ofSeconds(2))
                        .outcome())
                .isEqualTo(Outcome.REFUSED);
    }

    @Test
    void pingAllProbesEveryOrderedPair() {
        ReachabilityReport r = Reachability.pingAll(lan.byName(), Duration.ofSeconds(1));
        assertThat(r.probes()).hasSize(6);
        assertThat(r.allReachable()).as(r.toString()).isTrue();
        assertThat(r.probes()).allMatch(p -> p.outcome() == Outcome.REFUSED);
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingHappens() {
        assertThatThrownBy(() -> Reachability.tcp(
                        lan.host(0), InetSocketAddress.createUnresolved("x", 1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unresolved");
        assertThatThrownBy(() -> Reachability.awaitReachable(lan.host(0), Lan.address(1), 80, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout");
    }
}
