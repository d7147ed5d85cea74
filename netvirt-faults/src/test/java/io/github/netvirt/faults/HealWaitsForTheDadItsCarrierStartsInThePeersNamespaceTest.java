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
 * The heal of a cut of a veth end turns on the carrier of its other end, in another namespace, and so
 * of the bridge that end is a port of and of a macvlan on it, there: an IPv6 address either got during
 * the cut stays tentative until then, in namespaces where DAD runs ({@code ip netns add}). It is usable
 * when the heal returns, as in one namespace ({@link HealWaitsForTheDadItsCarrierStartsTest}), not while
 * a bind to it fails (EADDRNOTAVAIL) for 1-2 s. Both ends have ifindex 2 in their fresh namespaces,
 * which makes the carrier change of the cut no urgent linkwatch event on the other end: the bridge
 * there keeps its carrier for up to 1 s after the cut (about 0.5 s seen), and an address added
 * meanwhile starts its DAD at once; the test adds it once the cut has reached the device.
 */
@RequiresRoot
class HealWaitsForTheDadItsCarrierStartsInThePeersNamespaceTest {
    private final String a = TestNames.unique("jVca");
    private final String b = TestNames.unique("jVcb");
    private NetNamespace aNs;
    private NetNamespace bNs;

    @BeforeEach
    void namespaces() {
        Ip.ok("netns", "add", a);
        Ip.ok("netns", "add", b);
        aNs = NetNamespace.open(a);
        bNs = NetNamespace.open(b);
        Ip.ok("-n", a, "link", "add", "jVv0", "type", "veth", "peer", "name", "jVv1", "netns", b);
        Ip.ok("-n", b, "link", "set", "jVv1", "up");
    }

    @AfterEach
    void remove() {
        aNs.close();
        bNs.close();
        Ip.run("netns", "del", a);
        Ip.run("netns", "del", b);
    }

    private void cutAddHealBind(String dev, String address) throws Exception {
        Ip.ok("-n", b, "link", "set", dev, "up");
        Ip.ok("-n", a, "link", "set", "jVv0", "up");
        LinkCut cut = LinkCut.cut(aNs, "jVv0");
        awaitNoCarrier(dev);
        Ip.ok("-n", b, "addr", "add", address + "/64", "dev", dev); // no carrier: tentative
        assertThat(Ip.ok("-n", b, "-6", "addr", "show", "dev", dev)).contains("tentative");

        cut.heal();

        assertThat(Ip.ok("-n", b, "-6", "addr", "show", "dev", dev)).doesNotContain("tentative");
        try (ServerSocketChannel s = bNs.openServerSocketChannel()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        }
    }

    private void awaitNoCarrier(String dev) throws InterruptedException {
        long end = System.nanoTime() + 3_000_000_000L;
        while (Ip.ok("-n", b, "link", "show", "dev", dev).contains("LOWER_UP") && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(Ip.ok("-n", b, "link", "show", "dev", dev)).doesNotContain("LOWER_UP");
    }

    @Test
    void theBridgesAddressIsUsableWhenTheHealOfItsPortsOtherEndReturns() throws Exception {
        Ip.ok("-n", b, "link", "add", "jVbr", "type", "bridge");
        Ip.ok("-n", b, "link", "set", "jVv1", "master", "jVbr");
        cutAddHealBind("jVbr", "fd8c::1");
    }

    @Test
    void aMacvlansAddressIsUsableWhenTheHealOfItsLowerDevicesOtherEndReturns() throws Exception {
        Ip.ok("-n", b, "link", "add", "jVmv", "link", "jVv1", "type", "macvlan", "mode", "bridge");
        cutAddHealBind("jVmv", "fd8d::1");
    }

    /** A macvlan on the bridge: its carrier follows the bridge's, which follows its port's. */
    @Test
    void aMacvlanOnTheBridgeIsUsableWhenTheHealReturns() throws Exception {
        Ip.ok("-n", b, "link", "add", "jVbr", "type", "bridge");
        Ip.ok("-n", b, "link", "set", "jVv1", "master", "jVbr");
        Ip.ok("-n", b, "link", "set", "jVbr", "up");
        Ip.ok("-n", b, "link", "add", "jVmv", "link", "jVbr", "type", "macvlan", "mode", "bridge");
        cutAddHealBind("jVmv", "fd8e::1");
    }

    /** The kernel's link-local address, which the carrier makes, is no address of the bridge's own. */
    @Test
    void aBridgeWithoutAnIpv6AddressOfItsOwnCostsNoWait() throws Exception {
        Ip.ok("-n", b, "link", "add", "jVbr", "type", "bridge");
        Ip.ok("-n", b, "link", "set", "jVv1", "master", "jVbr");
        Ip.ok("-n", b, "link", "set", "jVbr", "up");
        Ip.ok("-n", a, "link", "set", "jVv0", "up"); // the carrier: the bridge's link-local address, in DAD
        LinkCut cut = LinkCut.cut(aNs, "jVv0");
        awaitNoCarrier("jVbr");

        cut.heal();

        assertThat(Ip.ok("-n", b, "-6", "addr", "show", "dev", "jVbr")).contains("scope link tentative");
    }
}
