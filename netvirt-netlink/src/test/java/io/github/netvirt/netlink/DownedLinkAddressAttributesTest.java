package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A down and up ({@link DownedLink}: {@code Topology.up}, a {@code LinkCut}'s heal, also of the root's
 * and an adopted namespace's own devices) gives an IPv6 address back as it was, not only its prefix:
 * {@code noprefixroute} (NetworkManager adds its addresses so, and its own routes), the metric of its
 * prefix route ({@code ip addr add ... metric 50}), and a lifetime that is not forever.
 */
@RequiresRoot
class DownedLinkAddressAttributesTest extends OneNamespace {
    final String dev = TestNames.unique("jEat");

    @BeforeEach
    void setUp() {
        h.linkAdd(LinkSpec.veth(dev, TestNames.unique("jEat")).up().peerUp());
    }

    void downUp() {
        DownedLink.setDown(h, h.linkGet(dev).orElseThrow()).setUp(h);
    }

    Map<String, Object> address(String local) {
        for (Map<String, Object> l : IpIn.json(ns, "-6", "addr", "show", "dev", dev)) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> infos = (List<Map<String, Object>>) l.get("addr_info");
            for (Map<String, Object> a : infos) {
                if (local.equals(a.get("local"))) {
                    return a;
                }
            }
        }
        return null;
    }

    String prefixRoutes() {
        return IpIn.run(ns, "ip", "-6", "route", "show", "proto", "kernel", "dev", dev);
    }

    @Test
    void noprefixrouteAndTheMetricComeBack() {
        IpIn.run(ns, "ip", "addr", "add", "fd9b::1/64", "dev", dev, "noprefixroute", "nodad");
        IpIn.run(ns, "ip", "addr", "add", "fd9c::1/64", "dev", dev, "metric", "50", "nodad");
        downUp();
        assertThat(address("fd9b::1")).containsEntry("noprefixroute", true);
        assertThat(prefixRoutes()).doesNotContain("fd9b::/64").contains("fd9c::/64 metric 50");
        assertThat(IpIn.num(address("fd9c::1").get("metric"))).isEqualTo(50);
    }

    @Test
    void aDeprecatedAddressStaysDeprecated() {
        IpIn.run(ns, "ip", "addr", "add", "fd9e::1/64", "dev", dev, "preferred_lft", "0", "nodad");
        downUp();
        assertThat(address("fd9e::1")).containsEntry("deprecated", true);
    }

    @Test
    void anAddressWhoseLifetimeRanOutWhileDownIsNotGivenBack() throws InterruptedException {
        // no DAD on the device: the up returns at once, before an address given back for a second would go
        IpIn.run(ns, "sysctl", "-qw", "net.ipv6.conf." + dev + ".accept_dad=0");
        IpIn.run(ns, "ip", "addr", "add", "fd9f::1/64", "dev", dev, "valid_lft", "2", "preferred_lft", "2", "nodad");
        DownedLink d = DownedLink.setDown(h, h.linkGet(dev).orElseThrow());
        Thread.sleep(2_500);
        d.setUp(h);
        assertThat(address("fd9f::1"))
                .as("an address the kernel would have deleted by now")
                .isNull();
    }

    @Test
    void anAddressWithALifetimeComesBackWithWhatIsLeftOfIt() {
        IpIn.run(
                ns,
                "ip",
                "addr",
                "add",
                "fd9d::1/64",
                "dev",
                dev,
                "valid_lft",
                "3000",
                "preferred_lft",
                "2000",
                "nodad");
        downUp();
        Map<String, Object> a = address("fd9d::1");
        assertThat(a).isNotNull().containsEntry("dynamic", true);
        assertThat(IpIn.num(a.get("valid_life_time"))).isBetween(2990, 3000);
        assertThat(IpIn.num(a.get("preferred_life_time"))).isBetween(1990, 2000);
    }
}
