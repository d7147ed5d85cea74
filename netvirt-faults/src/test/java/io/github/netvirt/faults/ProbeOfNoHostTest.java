package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A multicast, broadcast or wildcard address names no host: every probe refuses it before sending
 * anything. They answered each their own way (helper K, s47): {@code ff02::1} without a zone ERROR
 * for tcpSyn and udp, UNREACHABLE for tcp; {@code 0.0.0.0} REFUSED for tcp (the kernel connects it
 * to the probing namespace's own loopback), TIMEOUT for the others.
 */
@RequiresRoot
class ProbeOfNoHostTest {
    private static final Duration SHORT = Duration.ofMillis(200);
    private static NetNamespace ns;

    @BeforeAll
    static void open() {
        ns = NetNamespace.ephemeral();
    }

    @AfterAll
    static void close() {
        ns.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ff02::1", "224.0.0.1", "239.1.2.3", "255.255.255.255", "0.0.0.0", "::"})
    void everyProbeRefusesAnAddressThatNamesNoHost(String address) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        InetSocketAddress to = new InetSocketAddress(a, 80);
        String named = a.getHostAddress();
        assertThatThrownBy(() -> Reachability.tcp(ns, to, SHORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
        assertThatThrownBy(() -> Reachability.tcpSyn(ns, to, SHORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
        assertThatThrownBy(() -> Reachability.udp(ns, to, new byte[] {1}, SHORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
        assertThatThrownBy(() -> Reachability.awaitReachable(ns, a, 80, SHORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }
}
