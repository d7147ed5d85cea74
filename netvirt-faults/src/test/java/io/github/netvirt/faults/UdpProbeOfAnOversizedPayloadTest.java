package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A UDP probe's payload must fit one datagram: 65 507 bytes over IPv4 (65 535 less the IP and UDP
 * headers), 65 527 over IPv6 (65 535 less the UDP header). A larger one is bad input, refused before
 * anything is sent; it used to come back as an ERROR probe ("Message too long"), as if the path had
 * failed (helper I, s46).
 */
@RequiresRoot
class UdpProbeOfAnOversizedPayloadTest {
    private static final Duration T = Duration.ofSeconds(2);
    private NetNamespace ns;

    @BeforeEach
    void open() {
        ns = NetNamespace.ephemeral();
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            h.linkSetUp("lo");
        }
    }

    @AfterEach
    void close() {
        ns.close();
    }

    @Test
    void ipv4PayloadAboveOneDatagramIsRefused() throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9);
        assertThatThrownBy(() -> Reachability.udp(ns, to, new byte[65_508], T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65508");
        assertThatThrownBy(() -> Reachability.udp(ns, to, new byte[70_000], T))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Reachability.udp(ns, to, new byte[65_507], T).outcome()).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void ipv6PayloadAboveOneDatagramIsRefused() throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("::1"), 9);
        assertThatThrownBy(() -> Reachability.udp(ns, to, new byte[65_528], T))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65528");
        assertThat(Reachability.udp(ns, to, new byte[65_527], T).outcome()).isEqualTo(Outcome.REFUSED);
    }
}
