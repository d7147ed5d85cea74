package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cut whose heal could not set the device up (the kernel refused the up) leaves the device down by
 * its doing: a cut made meanwhile must not take the device for one that was down before, or no heal
 * ever sets it up again.
 */
@RequiresRoot
class CutWhoseUpFailedTest {
    private static final int PORT = 4789;
    private final String host = TestNames.unique("ra");
    private NetNamespace hostNs;

    @BeforeEach
    void build() {
        hostNs = NetNamespace.create(host);
        Ip.ok("-n", host, "link", "set", "lo", "up");
        // a vxlan device's up binds its UDP port: refused (EADDRINUSE) while a socket of the user's holds it
        Ip.ok(
                "-n",
                host,
                "link",
                "add",
                "vx0",
                "type",
                "vxlan",
                "id",
                "5",
                "dstport",
                Integer.toString(PORT),
                "local",
                "127.0.0.1");
        Ip.ok("-n", host, "link", "set", "vx0", "up");
    }

    @AfterEach
    void remove() {
        if (hostNs.isOpen()) {
            hostNs.close();
        }
        if (NetNamespace.exists(host)) {
            NetNamespace.delete(host);
        }
    }

    private boolean up() {
        return Ip.ok("-n", host, "-o", "link", "show", "dev", "vx0").contains(",UP");
    }

    @Test
    void aCutMadeAfterAFailedUpDoesNotKeepTheDeviceDownForGood() throws Exception {
        LinkCut first = LinkCut.cut(hostNs, "vx0");
        LinkCut second;
        try (DatagramSocket port = hostNs.call(() -> new DatagramSocket(new InetSocketAddress(PORT)))) {
            assertThatThrownBy(first::heal).isInstanceOf(NetlinkException.class);
            assertThat(first.isActive()).as("a heal that threw").isTrue();
            assertThat(up()).as("the up was refused").isFalse();
            second = LinkCut.cut(hostNs, "vx0");
        }
        first.heal();
        assertThat(up()).as("the second cut holds it down").isFalse();
        second.heal();
        assertThat(first.isActive()).isFalse();
        assertThat(second.isActive()).isFalse();
        assertThat(up()).as("up before the first cut, both healed").isTrue();
    }
}
