package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A gateway reached only through a route without a gateway, Calico's container layout ({@code
 * 169.254.1.1 dev eth0}, {@code default via 169.254.1.1 dev eth0}) and its IPv6 likeness: applied
 * and changed as {@code ip -j route show table all} then lists them, with traffic through the
 * gateway. The gateway routes are declared before the routes they need: the plan adds those first.
 */
@RequiresRoot
class GatewayViaDeviceRouteTest {
    private final String p = TestNames.unique("fa") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Namespace a (10.1.0.2/24, 2001:db8:1::2/64 on eth0) and b, whose eth0 holds the gateways and the far hosts. */
    private TopologyBuilder pair() {
        return Topology.create()
                .prefix(p)
                .ns("b")
                .veth("eth0", "a", "eth0")
                .addr("169.254.1.1/32")
                .addr("10.99.0.1/32")
                .addr("2001:db8:ff::1/128")
                .addr("2001:db8:9::1/128")
                .route("10.1.0.0/24", null, "eth0")
                .route("2001:db8:1::/64", null, "eth0")
                .ns("a")
                .dev("eth0")
                .addr("10.1.0.2/24")
                .addr("2001:db8:1::2/64");
    }

    private static TopologyBuilder layout(TopologyBuilder b) {
        return b.ns("a")
                .route("default", "169.254.1.1", "eth0")
                .route("2001:db8:9::/64", "2001:db8:ff::1", "eth0")
                .route("169.254.1.1/32", null, "eth0")
                .route("2001:db8:ff::1/128", null, "eth0");
    }

    private void assertLayout() {
        assertThat(routes(p + "a", false))
                .containsExactly(
                        "169.254.1.1 via null dev eth0 metric 0 table main",
                        "default via 169.254.1.1 dev eth0 metric 0 table main");
        assertThat(routes(p + "a", true))
                .containsExactly(
                        "2001:db8:9::/64 via 2001:db8:ff::1 dev eth0 metric 1024 table main",
                        "2001:db8:ff::1 via null dev eth0 metric 1024 table main");
    }

    private void assertTraffic(Topology t) throws Exception {
        assertThat(Tcp.echo(t.namespace("a"), t.namespace("b"), "10.99.0.1", 7151, "via v4"))
                .isEqualTo("via v4");
        assertThat(Tcp.echo(t.namespace("a"), t.namespace("b"), "2001:db8:9::1", 7152, "via v6"))
                .isEqualTo("via v6");
    }

    @Test
    void theLayoutIsAppliedAndCarriesTraffic() throws Exception {
        try (Topology t = layout(pair()).apply()) {
            assertLayout();
            assertTraffic(t);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void withoutADeviceTheKernelPutsTheGatewayRouteOutOfTheDeviceRoutesOne() throws Exception {
        try (Topology t = pair().ns("a")
                .gateway("169.254.1.1")
                .route("2001:db8:9::/64", "2001:db8:ff::1")
                .route("169.254.1.1/32", null, "eth0")
                .route("2001:db8:ff::1/128", null, "eth0")
                .apply()) {
            assertLayout();
            assertTraffic(t);
        }
    }

    @Test
    void aChangeAddsBothAndRemovesTheDeviceRouteOnlyWithTheGatewayRoute() throws Exception {
        try (Topology t = pair().apply()) {
            layout(t.change()).apply();
            assertLayout();
            assertTraffic(t);

            String before = StateDump.of(p);
            assertThatThrownBy(() ->
                            t.change().ns("a").removeRoute("169.254.1.1/32").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining(
                            "gateway 169.254.1.1 is not on any subnet of eth0 (the kernel would refuse" + " it)");
            assertThat(StateDump.of(p)).isEqualTo(before);

            t.change()
                    .ns("a")
                    .removeRoute("169.254.1.1/32")
                    .removeRoute("default")
                    .removeRoute("2001:db8:ff::1/128")
                    .removeRoute("2001:db8:9::/64")
                    .apply();
            assertThat(routes(p + "a", false)).isEmpty();
            assertThat(routes(p + "a", true)).isEmpty();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
