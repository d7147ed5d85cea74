package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kernel checks a gateway by the route it finds for it, the longest match: IPv4 looks only at
 * routes without a gateway (scope link), so a more specific route with a gateway is passed over;
 * IPv6 takes the longest match whatever it is and refuses the gateway (EHOSTUNREACH) when that
 * match has a gateway itself, though a less specific on-link prefix covers it.
 */
@RequiresRoot
class Ipv6GatewayLongestMatchTest {
    private final String p = TestNames.unique("se8") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /**
     * Host a: e0 on 10.1.0.0/24 and 2001:db8::/64, e1 on 10.9.0.0/24 and 2001:db8:ff::/64; a route
     * with a gateway (via e1) to a more specific part of e0's subnet, where the tests put a gateway.
     */
    private TopologyBuilder shadowed(String family) {
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "b0")
                .addr("10.1.0.1/24")
                .addr("2001:db8::1/64")
                .veth("e1", "b", "b1")
                .addr("10.9.0.1/24")
                .addr("2001:db8:ff::1/64")
                .ns("b");
        b.ns("a");
        return family.equals("4") ? b.route("10.1.0.0/28", "10.9.0.9") : b.route("2001:db8::/96", "2001:db8:ff::9");
    }

    @Test
    void anIpv4GatewayUnderAMoreSpecificRouteWithAGatewayIsTaken() {
        try (Topology t = shadowed("4").route("10.50.0.0/16", "10.1.0.5").apply()) {
            assertThat(routes(p + "a", false))
                    .contains("10.1.0.0/28 via 10.9.0.9 dev e1 metric 0 table main")
                    .contains("10.50.0.0/16 via 10.1.0.5 dev e0 metric 0 table main");
        }
    }

    @Test
    void anIpv6GatewayWhoseLongestMatchHasAGatewayIsRefusedBeforeTheKernel() {
        // before: validation passed, and the kernel refused the second route half-way (EHOSTUNREACH)
        assertThatThrownBy(() ->
                        shadowed("6").route("2001:db8:50::/64", "2001:db8::5").apply())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("namespace a: route(\"2001:db8:50::/64\", \"2001:db8::5\"): gateway 2001:db8::5")
                .hasMessageContaining("route(\"2001:db8::/96\", \"2001:db8:ff::9\")")
                .hasMessageContaining("EHOSTUNREACH");
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    /**
     * The kernel checks a gateway when its route is added, never again: a change that adds the route
     * that would hide a live route's gateway is taken (refused before: validation checked the live
     * route again, as if the change added it).
     */
    @Test
    void aChangeAddingARouteThatHidesALiveRoutesGatewayIsTaken() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "b0")
                .addr("2001:db8::1/64")
                .veth("e1", "b", "b1")
                .addr("2001:db8:ff::1/64")
                .route("2001:db8:50::/64", "2001:db8::5")
                .ns("b")
                .apply()) {
            t.change().ns("a").route("2001:db8::/96", "2001:db8:ff::9").apply();
            assertThat(routes(p + "a", true))
                    .contains("2001:db8::/96 via 2001:db8:ff::9 dev e1 metric 1024 table main")
                    .contains("2001:db8:50::/64 via 2001:db8::5 dev e0 metric 1024 table main");
        }
    }

    @Test
    void anIpv6GatewayWithARouteOfItsOwnOnItsLinkIsTaken() {
        // the remedy the message gives: a more specific route without a gateway is the longest match
        try (Topology t = shadowed("6")
                .route("2001:db8::5/128", null, "e0")
                .route("2001:db8:50::/64", "2001:db8::5")
                .apply()) {
            assertThat(routes(p + "a", true))
                    .contains("2001:db8::/96 via 2001:db8:ff::9 dev e1 metric 1024 table main")
                    .contains("2001:db8:50::/64 via 2001:db8::5 dev e0 metric 1024 table main");
        }
    }

    @Test
    void withTheDeviceGivenTheKernelPassesOverRoutesOutOfOthers() {
        // the lookup for a gateway with a device takes the longest match out of that device
        try (Topology t =
                shadowed("6").route("2001:db8:51::/64", "2001:db8::5", "e0").apply()) {
            assertThat(routes(p + "a", true))
                    .contains("2001:db8:51::/64 via 2001:db8::5 dev e0 metric 1024 table main");
        }
    }
}
