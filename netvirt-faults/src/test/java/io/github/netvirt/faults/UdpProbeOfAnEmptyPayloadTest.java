package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A UDP probe with an empty payload sends an empty datagram: {@code DatagramChannel.write} of nothing
 * sent nothing, so the probe of a closed port waited its whole timeout and said TIMEOUT, as if the
 * path dropped packets (helper I, s46).
 */
@RequiresRoot
class UdpProbeOfAnEmptyPayloadTest {
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
    void anEmptyPayloadIsSentAndAClosedPortRefusesIt() throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9);
        assertThat(Reachability.udp(ns, to, new byte[0], Duration.ofSeconds(2)).outcome())
                .isEqualTo(Outcome.REFUSED);
    }
}
