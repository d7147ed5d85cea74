package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;

/**
 * {@link Topology#up} of a device declared {@code down()} in an adopted namespace (or the root one),
 * where DAD runs: its IPv6 address goes through DAD as the device comes up, and the up returns once
 * that is over, as apply does for a device it brings up, not while a bind fails (EADDRNOTAVAIL) for 1-2 s.
 */
@RequiresRoot
class UpOfADeviceDeclaredDownTest {

    @Test
    void itsIpv6AddressIsUsableWhenTheUpReturns() throws Exception {
        String p = TestNames.unique("jEud") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = Topology.create()
                        .prefix(p)
                        .adopt("c", foreign)
                        .veth("c0", "s", "eth0")
                        .addr("fd89::1/64")
                        .down()
                        .ns("s")
                        .dev("eth0")
                        .addr("fd89::2/64")
                        .apply()) {
            t.up("c", "c0");
            assertThat(Ip.ok("-n", foreign, "-6", "addr", "show", "dev", "c0")).doesNotContain("tentative");
            try (ServerSocketChannel s = t.namespace("c").openServerSocketChannel()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("fd89::1"), 0));
            }
        }
    }
}
