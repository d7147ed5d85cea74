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
 * A UDP probe needs a payload of at least one byte, and an empty one is refused before anything is
 * sent: the JDK's connected {@code DatagramChannel} sends nothing for an empty buffer ({@code write}
 * and {@code send} alike), so the probe of a closed port waited its whole timeout and said TIMEOUT,
 * as if the path dropped packets (helper I, s46).
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
    void anEmptyPayloadIsRefusedAndOneByteIsSent() throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9);
        long start = System.nanoTime();
        assertThatThrownBy(() -> Reachability.udp(ns, to, new byte[0], Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(Reachability.udp(ns, to, new byte[1], Duration.ofSeconds(2)).outcome())
                .isEqualTo(Outcome.REFUSED);
    }
}
