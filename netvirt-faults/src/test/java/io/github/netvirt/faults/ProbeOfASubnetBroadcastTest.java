package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The broadcast address of a subnet the probing namespace is on names no host either: the kernel
 * routes it as {@code broadcast}, and the probes answered each their own way (helper Q, s48): tcp
 * UNREACHABLE ("Network is unreachable"), tcpSyn and udp ERROR ("Permission denied": no {@code
 * SO_BROADCAST}), awaitReachable an UnreachableException once its whole timeout had passed. A
 * directed broadcast of a subnet the namespace is not on is routed like a host address, and a /31 has
 * no broadcast: those are probed.
 */
@RequiresRoot
class ProbeOfASubnetBroadcastTest {
    private static final Duration SHORT = Duration.ofMillis(200);
    private static String name;
    private static NetNamespace ns;

    @BeforeAll
    static void open() {
        name = TestNames.unique("jQ");
        ns = NetNamespace.create(name);
        try {
            Ip.ok("-n", name, "link", "add", "jQ0", "type", "veth", "peer", "name", "jQ1");
            Ip.ok("-n", name, "addr", "add", "10.77.0.1/24", "dev", "jQ0");
            Ip.ok("-n", name, "addr", "add", "10.79.0.1/32", "brd", "10.79.0.7", "dev", "jQ0");
            Ip.ok("-n", name, "addr", "add", "10.80.0.0/31", "dev", "jQ0");
            Ip.ok("-n", name, "link", "set", "jQ1", "up");
            Ip.ok("-n", name, "link", "set", "jQ0", "up");
            Ip.ok("-n", name, "route", "add", "10.78.0.0/16", "via", "10.77.0.2");
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    @AfterAll
    static void close() {
        ns.close();
        if (NetNamespace.exists(name)) {
            NetNamespace.delete(name);
        }
    }

    @ParameterizedTest
    @CsvSource({"10.77.0.255, 10.77.0.1/24", "10.79.0.7, 10.79.0.1/32"})
    void everyProbeRefusesABroadcastOfItsOwnSubnet(String address, String prefix) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        InetSocketAddress to = new InetSocketAddress(a, 80);
        assertThatThrownBy(() -> Reachability.tcp(ns, to, SHORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(address)
                .hasMessageContaining(prefix);
        assertThatThrownBy(() -> Reachability.tcpSyn(ns, to, SHORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(address)
                .hasMessageContaining(prefix);
        assertThatThrownBy(() -> Reachability.udp(ns, to, new byte[] {1}, SHORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(address)
                .hasMessageContaining(prefix);
        assertThatThrownBy(() -> Reachability.awaitReachable(ns, a, 80, SHORT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(address)
                .hasMessageContaining(prefix);
    }

    /** Another subnet's broadcast (routed by a gateway), a /31's other address, a network address. */
    @ParameterizedTest
    @ValueSource(strings = {"10.78.255.255", "10.80.0.1", "10.77.0.0"})
    void everyProbeProbesAnAddressRoutedLikeAHost(String address) throws Exception {
        InetAddress a = InetAddress.getByName(address);
        InetSocketAddress to = new InetSocketAddress(a, 80);
        assertThat(Reachability.tcp(ns, to, SHORT).outcome()).isNotEqualTo(Outcome.ERROR);
        assertThat(Reachability.tcpSyn(ns, to, SHORT).outcome()).isNotEqualTo(Outcome.ERROR);
        assertThat(Reachability.udp(ns, to, new byte[] {1}, SHORT).outcome()).isNotEqualTo(Outcome.ERROR);
        assertThatThrownBy(() -> Reachability.awaitReachable(ns, a, 80, SHORT))
                .isInstanceOf(UnreachableException.class);
    }
}
