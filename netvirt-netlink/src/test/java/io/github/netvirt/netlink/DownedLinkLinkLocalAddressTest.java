package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A down and up ({@link DownedLink}) gives back the link-local addresses someone added (a router's
 * {@code fe80::1}, the gateway of its hosts' default routes), which the down deletes with the global
 * ones; the kernel's own link-local address it makes again itself.
 */
@RequiresRoot
class DownedLinkLinkLocalAddressTest extends OneNamespace {
    final String dev = TestNames.unique("jEll");

    @BeforeEach
    void setUp() {
        h.linkAdd(LinkSpec.veth(dev, TestNames.unique("jEll")).up().peerUp());
        h.addrAdd(AddressSpec.of(dev, IpPrefix.parse("fe80::1/64")).noDad());
        h.addrAdd(AddressSpec.of(dev, IpPrefix.parse("fd00::1/64")).noDad());
    }

    /** {@code ip -6 addr show dev DEV}: each address with its prefix length, sorted. */
    TreeSet<String> addresses() {
        TreeSet<String> out = new TreeSet<>();
        for (Map<String, Object> l : IpIn.json(ns, "-6", "addr", "show", "dev", dev)) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> infos = (List<Map<String, Object>>) l.get("addr_info");
            for (Map<String, Object> a : infos) {
                out.add(a.get("local") + "/" + a.get("prefixlen"));
            }
        }
        return out;
    }

    @Test
    void anAddedLinkLocalAddressComesBackAndTheKernelsOwnIsNotDoubled() {
        TreeSet<String> before = addresses();
        assertThat(before).contains("fe80::1/64", "fd00::1/64").hasSize(3);
        DownedLink d = DownedLink.setDown(h, h.linkGet(dev).orElseThrow());
        d.setUp(h);
        assertThat(addresses()).isEqualTo(before);
    }
}
