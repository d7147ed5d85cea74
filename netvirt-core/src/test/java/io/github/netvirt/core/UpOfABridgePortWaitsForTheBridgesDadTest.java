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
 * A bridge in an adopted namespace, where DAD runs, set up while its one port is down gets its IPv6
 * address back tentative: without a carrier DAD cannot run. The port's {@link Topology#up} turns the
 * bridge's carrier on, which starts that DAD, as a veth end's up starts its peer's
 * ({@link UpOfAPeerWaitsForTheDadItStartsTest}): the bridge's address should be usable when the up
 * returns, not fail a bind (EADDRNOTAVAIL) for 1-2 s (helper N, s47).
 */
@RequiresRoot
class UpOfABridgePortWaitsForTheBridgesDadTest {

    @Test
    void theBridgesAddressIsUsableWhenItsPortsUpReturns() throws Exception {
        String p = TestNames.unique("jNbd") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = Topology.create()
                        .prefix(p)
                        .adopt("c", foreign)
                        .bridge("jNbr")
                        .addr("fd8a::1/64")
                        .veth("jNc0", "s", "eth0")
                        .master("jNbr")
                        .ns("s")
                        .dev("eth0")
                        .addr("fd8a::2/64")
                        .apply()) {
            t.down("c", "jNc0"); // the bridge's one port: the bridge loses its carrier
            t.down("c", "jNbr");
            t.up("c", "jNbr"); // no carrier: its address stays tentative
            assertThat(Ip.ok("-n", foreign, "-6", "addr", "show", "dev", "jNbr"))
                    .contains("tentative");

            t.up("c", "jNc0");

            assertThat(Ip.ok("-n", foreign, "-6", "addr", "show", "dev", "jNbr"))
                    .doesNotContain("tentative");
            try (ServerSocketChannel s = t.namespace("c").openServerSocketChannel()) {
                s.bind(new InetSocketAddress(InetAddress.getByName("fd8a::1"), 0));
            }
        }
    }
}
