package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host's veth whose other end is the one port of a bridge in another namespace (a switch's or a
 * router's): the cut of the host's end takes the bridge's carrier away too, and an IPv6 address the
 * bridge gets meanwhile stays tentative, where DAD runs ({@code ip netns add}). The heal turns the
 * bridge's carrier on again, which starts that DAD: its address is usable when the heal returns, as
 * it is when the bridge is in the cut device's namespace ({@link HealWaitsForTheDadItsCarrierStartsTest}).
 */
@RequiresRoot
class HealWaitsForTheDadOfThePeersBridgeTest {
    private final String host = TestNames.unique("jSh");
    private final String sw = TestNames.unique("jSs");
    private NetNamespace hostNs;
    private NetNamespace swNs;

    @BeforeEach
    void namespaces() {
        Ip.ok("netns", "add", host);
        Ip.ok("netns", "add", sw);
        hostNs = NetNamespace.open(host);
        swNs = NetNamespace.open(sw);
        Ip.ok("-n", host, "link", "add", "jSv0", "type", "veth", "peer", "name", "jSv1", "netns", sw);
        Ip.ok("-n", sw, "link", "add", "jSbr", "type", "bridge");
        Ip.ok("-n", sw, "link", "set", "jSv1", "master", "jSbr");
        Ip.ok("-n", sw, "link", "set", "jSv1", "up");
        Ip.ok("-n", sw, "link", "set", "jSbr", "up");
        Ip.ok("-n", host, "link", "set", "jSv0", "up");
    }

    @AfterEach
    void remove() {
        hostNs.close();
        swNs.close();
        Ip.run("netns", "del", host);
        Ip.run("netns", "del", sw);
    }

    @Test
    void theBridgesAddressIsUsableWhenTheHealOfItsPortsOtherEndReturns() throws Exception {
        LinkCut cut = LinkCut.cut(hostNs, "jSv0");
        // jSv1's linkwatch work, which takes the bridge's carrier away, may wait a second: its iflink
        // (jSv0's ifindex, 2) is its own ifindex, so linkwatch takes the event for no urgent one.
        // Asked for alone, the kernel runs it now, as it would have by itself a moment later
        Ip.ok("-n", sw, "link", "show", "dev", "jSv1");
        assertThat(Ip.ok("-n", sw, "link", "show", "dev", "jSbr")).contains("NO-CARRIER");
        Ip.ok("-n", sw, "addr", "add", "fd8c::1/64", "dev", "jSbr"); // no carrier: tentative
        assertThat(Ip.ok("-n", sw, "-6", "addr", "show", "dev", "jSbr")).contains("tentative");

        cut.heal();

        assertThat(Ip.ok("-n", sw, "-6", "addr", "show", "dev", "jSbr")).doesNotContain("tentative");
        try (ServerSocketChannel s = swNs.openServerSocketChannel()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("fd8c::1"), 0));
        }
    }
}
