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
 * A bridge whose one port is cut has no carrier, nor has a macvlan on a cut device, and an IPv6
 * address either gets meanwhile stays tentative, in namespaces where DAD runs ({@code ip netns add}):
 * DAD needs a carrier. The heal of the cut turns their carrier on, which starts that DAD: their
 * addresses are usable when the heal returns, as the other end's of a veth are
 * ({@link HealWaitsForThePeersDadTest}), not while a bind to them fails (EADDRNOTAVAIL) for 1-2 s.
 */
@RequiresRoot
class HealWaitsForTheDadItsCarrierStartsTest {
    private final String n = TestNames.unique("jPcd");
    private NetNamespace ns;

    @BeforeEach
    void namespace() {
        Ip.ok("netns", "add", n);
        ns = NetNamespace.open(n);
        Ip.ok("-n", n, "link", "add", "jPv0", "type", "veth", "peer", "name", "jPv1");
        Ip.ok("-n", n, "link", "set", "jPv1", "up");
    }

    @AfterEach
    void remove() {
        ns.close();
        Ip.run("netns", "del", n);
    }

    private void cutAddHealBind(String dev, String address) throws Exception {
        Ip.ok("-n", n, "link", "set", dev, "up");
        Ip.ok("-n", n, "link", "set", "jPv0", "up");
        LinkCut cut = LinkCut.cut(ns, "jPv0");
        Ip.ok("-n", n, "addr", "add", address + "/64", "dev", dev); // no carrier: tentative
        assertThat(Ip.ok("-n", n, "-6", "addr", "show", "dev", dev)).contains("tentative");

        cut.heal();

        assertThat(Ip.ok("-n", n, "-6", "addr", "show", "dev", dev)).doesNotContain("tentative");
        try (ServerSocketChannel s = ns.openServerSocketChannel()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        }
    }

    @Test
    void theBridgesAddressIsUsableWhenTheHealOfItsOnePortReturns() throws Exception {
        Ip.ok("-n", n, "link", "add", "jPbr", "type", "bridge");
        Ip.ok("-n", n, "link", "set", "jPv0", "master", "jPbr");
        cutAddHealBind("jPbr", "fd89::1");
    }

    /** The other end of the veth, in the same namespace, is the bridge's port: the heal turns its carrier on. */
    @Test
    void theBridgesAddressIsUsableWhenTheHealOfItsPortsOtherEndReturns() throws Exception {
        Ip.ok("-n", n, "link", "add", "jPbr", "type", "bridge");
        Ip.ok("-n", n, "link", "set", "jPv1", "master", "jPbr");
        cutAddHealBind("jPbr", "fd89::1");
    }

    /** The kernel's link-local address, which the carrier makes, is no address of the bridge's own. */
    @Test
    void aBridgeWithoutAnIpv6AddressOfItsOwnCostsNoWait() {
        Ip.ok("-n", n, "link", "add", "jPbr", "type", "bridge");
        Ip.ok("-n", n, "link", "set", "jPv0", "master", "jPbr");
        Ip.ok("-n", n, "link", "set", "jPbr", "up");
        Ip.ok("-n", n, "link", "set", "jPv0", "up"); // the carrier: the bridge's link-local address, in DAD
        LinkCut cut = LinkCut.cut(ns, "jPv0");

        cut.heal();

        assertThat(Ip.ok("-n", n, "-6", "addr", "show", "dev", "jPbr")).contains("scope link tentative");
    }

    @Test
    void aMacvlansAddressIsUsableWhenTheHealOfItsLowerDeviceReturns() throws Exception {
        Ip.ok("-n", n, "link", "add", "jPmv", "link", "jPv0", "type", "macvlan", "mode", "bridge");
        cutAddHealBind("jPmv", "fd8b::1");
    }
}
