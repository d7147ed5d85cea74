package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Port 0 is no destination: a probe of it is bad input, refused before anything is sent, not a probe
 * that fails (an awaitReachable of it used to spin until its timeout, then throw UnreachableException).
 */
@RequiresRoot
class ProbePortZeroTest {
    private static final InetSocketAddress PORT_ZERO = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final Duration T = Duration.ofSeconds(3);
    private NetNamespace ns;

    @BeforeEach
    void open() {
        ns = NetNamespace.ephemeral();
    }

    @AfterEach
    void close() {
        ns.close();
    }

    @Test
    void awaitReachableRefusesPortZeroAtOnce() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Reachability.awaitReachable(ns, InetAddress.getLoopbackAddress(), 0, T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 0");
        org.assertj.core.api.Assertions.assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void tcpSynRefusesPortZero() {
        assertThatThrownBy(() -> Reachability.tcpSyn(ns, PORT_ZERO, T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 0");
    }

    @Test
    void tcpRefusesPortZero() {
        assertThatThrownBy(() -> Reachability.tcp(ns, PORT_ZERO, T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 0");
    }

    @Test
    void udpRefusesPortZero() {
        assertThatThrownBy(() -> Reachability.udp(ns, PORT_ZERO, new byte[] {1}, T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port 0");
    }
}
