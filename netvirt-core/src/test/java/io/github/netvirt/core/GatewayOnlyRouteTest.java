package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.RouteSpec;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A route declared with a gateway and no device goes out of the device the kernel chose: removeRoute(...)
 * deletes it only while the kernel lists it out of that device, as {@code ip -j route show table all} shows.
 */
@RequiresRoot
class GatewayOnlyRouteTest {
    private final String p = TestNames.unique("gf") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Host a with e0 and e1 both on 10.9.0.0/24 and fd09::/64 (veths to b), a route of each family via b's b0. */
    private TopologyBuilder twoWays() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "b0")
                .addr("10.9.0.2/24")
                .addr("fd09::2/64")
                .veth("e1", "b", "b1")
                .addr("10.9.0.3/24")
                .addr("fd09::3/64")
                .route("10.50.0.0/16", "10.9.0.1")
                .route("fd50::/64", "fd09::1")
                .ns("b")
                .dev("b0")
                .addr("10.9.0.1/24")
                .addr("fd09::1/64")
                .dev("b1")
                .addr("10.9.1.1/24");
    }

    /** The device the kernel lists the only route to {@code dst} out of (v4 or v6). */
    private String devOf(String dst, boolean v6) {
        List<String> r = routes(p + "a", v6).stream()
                .filter(x -> x.startsWith(dst + " "))
                .toList();
        assertThat(r).hasSize(1);
        return r.get(0).replaceAll(".* dev (\\S+) .*", "$1");
    }

    private static String other(String dev) {
        return dev.equals("e0") ? "e1" : "e0";
    }

    @Test
    void aRouteReplacedThroughNetlinkOutOfAnotherDeviceIsRefused() throws Exception {
        try (Topology t = twoWays().apply()) {
            String chosen = devOf("10.50.0.0/16", false);
            String elsewhere = other(chosen);
            t.netlink("a")
                    .routeReplace(RouteSpec.to(IpPrefix.parse("10.50.0.0/16"))
                            .via(IpPrefix.parseAddress("10.9.0.1"))
                            .dev(t.link("a", elsewhere).index()));
            List<String> before = routes(p + "a", false);
            assertThat(before).contains("10.50.0.0/16 via 10.9.0.1 dev " + elsewhere + " metric 0 table main");
            assertThatThrownBy(
                            () -> t.change().ns("a").removeRoute("10.50.0.0/16").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("namespace a: route 10.50.0.0/16 via 10.9.0.1: the kernel's route to"
                            + " 10.50.0.0/16 of metric 0 in table 254 is not the one the topology added")
                    .hasMessageContaining(
                            "out of ifindex " + t.link("a", elsewhere).index() + ", not "
                                    + t.link("a", chosen).index());
            assertThat(routes(p + "a", false)).isEqualTo(before);
        }
    }

    @Test
    void anIpv6RouteDeletedAndAddedAgainOutOfAnotherDeviceIsRefused() {
        try (Topology t = twoWays().apply()) {
            String elsewhere = other(devOf("fd50::/64", true));
            Ip.ok("-n", p + "a", "-6", "route", "del", "fd50::/64");
            Ip.ok("-n", p + "a", "-6", "route", "add", "fd50::/64", "via", "fd09::1", "dev", elsewhere);
            List<String> before = routes(p + "a", true);
            assertThat(before).containsExactly("fd50::/64 via fd09::1 dev " + elsewhere + " metric 1024 table main");
            assertThatThrownBy(() -> t.change().ns("a").removeRoute("fd50::/64").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("namespace a: route fd50::/64 via fd09::1: the kernel's route to fd50::/64");
            assertThat(routes(p + "a", true)).isEqualTo(before);
        }
    }

    @Test
    void theRoutesAsTheKernelPutThemAreDeletedAlsoWhenAChangeAddedThem() {
        try (Topology t = twoWays().apply()) {
            t.change()
                    .ns("a")
                    .route("10.51.0.0/16", "10.9.0.1")
                    .route("fd51::/64", "fd09::1")
                    .apply();
            assertThat(routes(p + "a", false)).hasSize(2);
            assertThat(routes(p + "a", true)).hasSize(2);
            // one a change added, replaced out of the other device: refused too
            String elsewhere = other(devOf("10.51.0.0/16", false));
            Ip.ok("-n", p + "a", "route", "replace", "10.51.0.0/16", "via", "10.9.0.1", "dev", elsewhere);
            assertThatThrownBy(
                            () -> t.change().ns("a").removeRoute("10.51.0.0/16").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("route 10.51.0.0/16 via 10.9.0.1: the kernel's route");
            assertThat(routes(p + "a", false))
                    .contains("10.51.0.0/16 via 10.9.0.1 dev " + elsewhere + " metric 0 table main");
            // the others, where the kernel put them
            t.change()
                    .ns("a")
                    .removeRoute("10.50.0.0/16")
                    .removeRoute("fd50::/64")
                    .removeRoute("fd51::/64")
                    .apply();
            assertThat(routes(p + "a", false))
                    .containsExactly("10.51.0.0/16 via 10.9.0.1 dev " + elsewhere + " metric 0 table main");
            assertThat(routes(p + "a", true)).isEmpty();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
