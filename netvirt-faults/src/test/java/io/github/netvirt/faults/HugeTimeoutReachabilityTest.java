package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A timeout longer than {@code Duration.toNanos()} holds (292 years) is a wait that does not end in
 * practice: a probe of a listening port answers at once, and a schedule too long to count in
 * milliseconds is refused saying so. They threw {@code ArithmeticException: long overflow} (helper
 * C's audit, s46).
 */
@RequiresRoot
class HugeTimeoutReachabilityTest {
    private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    @Test
    void probesOfAListeningPortAnswerWhateverTheTimeout() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            try (io.github.netvirt.netlink.NetlinkHandle h = io.github.netvirt.netlink.NetlinkHandle.open(ns)) {
                h.linkSetUp("lo");
            }
            try (ServerSocket server =
                    ns.serverSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
                InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
                assertThat(Reachability.tcp(ns, to, FOREVER).outcome()).isEqualTo(Outcome.CONNECTED);
                Reachability.awaitReachable(ns, to.getAddress(), to.getPort(), FOREVER);
            }
        }
    }

    @Test
    void aScheduleTooLongToCountIsRefusedSayingSo() {
        assertThatThrownBy(
                        () -> FaultSchedule.over(List.of("a", "b"), List.of()).length(FOREVER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FOREVER.toString());
        assertThatThrownBy(
                        () -> FaultSchedule.over(List.of("a", "b"), List.of()).faultLength(FOREVER, FOREVER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(FOREVER.toString());
    }
}
