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
 * A veth end in an adopted namespace, where DAD runs, set up while its peer is down gets its IPv6
 * address back tentative: without a carrier DAD cannot run, and that up returns at once. The peer's
 * {@link Topology#up} turns the carrier on, which starts that DAD: the link is usable when it returns,
 * the other end's address too, not while a bind to it fails (EADDRNOTAVAIL) for 1-2 s.
 */
@RequiresRoot
class UpOfAPeerWaitsForTheDadItStartsTest {

    @Test
    void theOtherEndsAddressIsUsableWhenThePeersUpReturns() throws Exception {
        String p = TestNames.unique("jJpd") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = Topology.create()
                        .prefix(p)
                        .adopt("c", foreign)
                        .veth("jJc0", "s", "eth0")
                        .addr("fd89::1/64")
                        .ns("s")
                        .dev("eth0")
                        .addr("fd89::2/64")
                        .apply()) {
            t.down("s", "eth0");
            t.down("c", "jJc0");
            t.up("c", "jJc0"); // no carrier: its address stays tentative
            assertThat(Ip.ok("-n", foreign, "-6", "addr", "show", "dev", "jJc0"))
                    .contains("tentative");

            t.up("s", "eth0");

            assertThat(Ip.ok("-n", foreign, "-6", "addr", "show", "dev", "jJc0"))
                    .doesNotContain("tentative");
            try (ServerSocketChannel s = t.namespace("c").openServerSocketChannel()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("fd89::1"), 0));
            }
        }
    }
}
