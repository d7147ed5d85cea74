package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Where DAD runs (the root namespace, an adopted one: {@code accept_dad} 1), an IPv6 address a down
 * took and the up gave back goes through DAD again: the up ({@code Topology.up}, a {@code LinkCut}'s
 * heal) returns once it is usable, as an IPv4 address is, not while a bind to it fails with
 * EADDRNOTAVAIL for 1-2 s.
 */
@RequiresRoot
class DownedLinkDadTest extends OneNamespace {

    @Test
    void anAddressGivenBackWhereDadRunsIsUsableWhenTheUpReturns() throws Exception {
        String dev = TestNames.unique("jEda");
        h.linkAdd(LinkSpec.veth(dev, TestNames.unique("jEda")).up().peerUp());
        IpPrefix address = IpPrefix.parse("fd73::1/64");
        int index = h.linkGet(dev).orElseThrow().index();
        h.addrAdd(AddressSpec.of(dev, address)); // with DAD, as in the root or an adopted namespace
        h.awaitDad(index, address, Duration.ofSeconds(10));
        DownedLink d = DownedLink.setDown(h, h.linkGet(dev).orElseThrow());
        d.setUp(h);
        assertThat(h.addrList())
                .filteredOn(a -> a.prefix().equals(address))
                .singleElement()
                .matches(a -> !a.isTentative(), "not tentative");
        try (ServerSocketChannel s = ns.openServerSocketChannel()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("fd73::1"), 0));
        }
    }
}
