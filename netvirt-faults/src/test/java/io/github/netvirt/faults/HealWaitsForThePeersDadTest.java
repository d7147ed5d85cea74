package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A veth end whose other end is cut has no carrier, and an IPv6 address it gets meanwhile (the heal of
 * a cut of its own gives it back) stays tentative, in namespaces where DAD runs ({@code ip netns add}):
 * DAD needs a carrier. The heal of the other end's cut turns the carrier on, which starts that DAD: the
 * link is usable when the heal returns, the other end's address too, not while a bind to it fails
 * (EADDRNOTAVAIL) for 1-2 s. The cut end has no IPv6 address of its own: its heal has nothing of its
 * own to wait for.
 */
@RequiresRoot
class HealWaitsForThePeersDadTest {
    private final String a = TestNames.unique("jOpa");
    private final String b = TestNames.unique("jOpb");
    private NetNamespace aNs;
    private NetNamespace bNs;

    @BeforeEach
    void namespaces() {
        Ip.ok("netns", "add", a);
        Ip.ok("netns", "add", b);
        aNs = NetNamespace.open(a);
        bNs = NetNamespace.open(b);
    }

    @AfterEach
    void remove() {
        aNs.close();
        bNs.close();
        Ip.run("netns", "del", a);
        Ip.run("netns", "del", b);
    }

    /** Veth {@code jOc0} of a, its other end {@code jOp0} in {@code peerNs} with fd88::2/64, both up and out of DAD. */
    private void veth(String peerNs) {
        Ip.ok("-n", a, "link", "add", "jOc0", "type", "veth", "peer", "name", "jOp0", "netns", peerNs);
        Ip.ok("-n", a, "addr", "add", "10.88.0.1/24", "dev", "jOc0");
        Ip.ok("-n", peerNs, "addr", "add", "fd88::2/64", "dev", "jOp0");
        Ip.ok("-n", a, "link", "set", "jOc0", "up");
        Ip.ok("-n", peerNs, "link", "set", "jOp0", "up");
        NetNamespace ns = peerNs.equals(a) ? aNs : bNs;
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            h.awaitDad(List.of(h.linkIndex("jOp0")), Duration.ofSeconds(10));
        }
    }

    private void cutBothThenHealThePeersFirst(NetNamespace peerNs, String peerName) throws Exception {
        LinkCut cut = LinkCut.cut(aNs, "jOc0");
        LinkCut peerCut = LinkCut.cut(peerNs, "jOp0");
        peerCut.heal(); // no carrier: its address comes back tentative
        assertThat(Ip.ok("-n", peerName, "-6", "addr", "show", "dev", "jOp0")).contains("tentative");

        cut.heal();

        assertThat(Ip.ok("-n", peerName, "-6", "addr", "show", "dev", "jOp0")).doesNotContain("tentative");
        try (ServerSocketChannel s = peerNs.openServerSocketChannel()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("fd88::2"), 0));
        }
    }

    @Test
    void theOtherEndsAddressIsUsableWhenTheHealReturns() throws Exception {
        veth(b);
        cutBothThenHealThePeersFirst(bNs, b);
    }

    /** The kernel's link-local address, which the carrier makes, is no address of the other end's own. */
    @Test
    void anOtherEndWithoutAnIpv6AddressOfItsOwnCostsNoWait() {
        Ip.ok("-n", a, "link", "add", "jOc0", "type", "veth", "peer", "name", "jOp0", "netns", b);
        Ip.ok("-n", b, "addr", "add", "10.88.0.2/24", "dev", "jOp0");
        Ip.ok("-n", a, "link", "set", "jOc0", "up");
        Ip.ok("-n", b, "link", "set", "jOp0", "up");
        LinkCut cut = LinkCut.cut(aNs, "jOc0");
        LinkCut.cut(bNs, "jOp0").heal(); // no carrier: no link-local address yet

        cut.heal();

        assertThat(Ip.ok("-n", b, "-6", "addr", "show", "dev", "jOp0")).contains("scope link tentative");
    }

    @Test
    void theOtherEndsAddressIsUsableWhenTheHealReturnsInOneNamespace() throws Exception {
        veth(a);
        cutBothThenHealThePeersFirst(aNs, a);
    }
}
