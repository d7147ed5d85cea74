package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kernel makes the route to an IPv6 address's subnet with metric 256 (IP6_RT_PRIO_ADDRCONF): a
 * route of ours of that metric to that subnet is refused before the kernel, which would answer
 * EEXIST; one of the default metric (1024) is a route of its own and is made.
 */
@RequiresRoot
class Ipv6PrefixRouteMetricTest {
    private final String p = TestNames.unique("rb") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void anIpv6RouteOfThePrefixRoutesMetricIsRefusedBeforeTheKernel() {
        assertThatThrownBy(() -> RouteMetricTableValidationTest.twoHosts()
                        .route("fd00::/64", null, "e0")
                        .metric(256)
                        .prefix(p)
                        .apply()
                        .close())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("namespace a: route(\"fd00::/64\", null, \"e0\").metric(256): the kernel made a"
                        + " route to fd00::/64 for address fd00::1/64 of e0 already");
        assertThat(Reference.namespaces(p)).isEmpty();
        try (Topology t = RouteMetricTableValidationTest.twoHosts()
                .route("fd00::/64", null, "e0")
                .prefix(p)
                .apply()) {
            assertThat(t.spec().namespace("a").routes()).hasSize(1);
        }
    }

    /**
     * The kernel routes fe80::/64 with metric 256 through every up device with IPv6, for its
     * link-local address, in a topology with IPv6 addresses or without: a route of ours of that metric
     * took its place (and its removal left the device without one). Failed before the fix: applied.
     */
    @Test
    void theLinkLocalRoutesMetricIsRefusedBeforeTheKernel() {
        for (boolean ipv6 : new boolean[] {true, false}) {
            TopologyBuilder b = Topology.create()
                    .prefix(p)
                    .ns("b")
                    .ns("a")
                    .veth("e0", "b", "e1")
                    .addr("10.100.0.1/24");
            if (ipv6) {
                b.addr("fd00::1/64");
            }
            assertThatThrownBy(() ->
                            b.route("fe80::/64", null, "e0").metric(256).apply().close())
                    .as("IPv6 addresses: %s", ipv6)
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("namespace a: route(\"fe80::/64\", null, \"e0\").metric(256): the kernel made"
                            + " a route to fe80::/64 for the link-local address of e0 already");
            assertThat(Reference.namespaces(p)).isEmpty();
        }
        try (Topology t = RouteMetricTableValidationTest.twoHosts()
                .route("fe80::/64", null, "e0")
                .prefix(p)
                .apply()) {
            assertThat(t.spec().namespace("a").routes()).hasSize(1);
        }
    }
}
