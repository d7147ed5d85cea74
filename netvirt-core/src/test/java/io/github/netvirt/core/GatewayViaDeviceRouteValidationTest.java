package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.NamespaceRoute;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A gateway reached through a declared route without a gateway (e.g. Calico's {@code 169.254.1.1 dev
 * eth0} and {@code default via 169.254.1.1 dev eth0}): the kernel takes it when such a route of the
 * gateway route's table (or of main or default, which its fallback lookup reaches) covers the
 * gateway, out of the gateway route's device if it has one (KERNEL-NOTES.md); the plan adds that
 * route first.
 */
class GatewayViaDeviceRouteValidationTest {

    /** Namespace a with veth eth0 (to b) on 10.1.0.0/24, b with the gateways' addresses. */
    private static TopologyBuilder calico() {
        return Topology.create()
                .prefix("fa-v-")
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.1.0.2/24")
                .veth("eth1", "b", "eth1")
                .ns("b")
                .dev("eth0")
                .addr("169.254.1.1/32")
                .addr("2001:db8:ff::1/128")
                .ns("a");
    }

    @Test
    void theCalicoLayoutIsTakenInBothFamilies() {
        TopologyBuilder b = calico().route("169.254.1.1/32", null, "eth0")
                .route("default", "169.254.1.1", "eth0")
                .route("2001:db8:ff::1/128", null, "eth0")
                .route("2001:db8:9::/64", "2001:db8:ff::1", "eth0");
        assertThat(b.spec().namespace("a").routes())
                .extracting(NamespaceRoute::iproute2)
                .containsExactly(
                        "169.254.1.1/32 dev eth0",
                        "default via 169.254.1.1 dev eth0",
                        "2001:db8:ff::1/128 dev eth0",
                        "2001:db8:9::/64 via 2001:db8:ff::1 dev eth0");
    }

    @Test
    void withoutADeviceTheGatewayIsReachedThroughAnyDevicesRoute() {
        TopologyBuilder b = calico().route("169.254.1.0/24", null, "eth1")
                .gateway("169.254.1.1")
                .route("2001:db8:ff::/64", null, "eth1")
                .route("2001:db8:9::/64", "2001:db8:ff::1");
        assertThat(b.spec().namespace("a").routes()).hasSize(4);
    }

    @Test
    void theDeviceRouteIsAddedFirstWhereverItIsDeclared() {
        Plan plan = calico().route("default", "169.254.1.1", "eth0")
                .route("2001:db8:9::/64", "2001:db8:ff::1")
                .route("10.3.0.0/16", null, "eth0")
                .route("2001:db8:ff::1/128", null, "eth0")
                .route("169.254.1.1/32", null, "eth0")
                .plan();
        List<Step> routes = plan.steps().stream()
                .filter(s -> s.action() == Action.ROUTE_ADD)
                .toList();
        assertThat(routes)
                .extracting(s -> ((RouteAddStep) s.op()).route().iproute2())
                .containsExactly(
                        "169.254.1.1/32 dev eth0",
                        "default via 169.254.1.1 dev eth0",
                        "2001:db8:ff::1/128 dev eth0",
                        "2001:db8:9::/64 via 2001:db8:ff::1",
                        "10.3.0.0/16 dev eth0");
        assertThat(routes.get(1).needs()).contains(routes.get(0).index());
        assertThat(routes.get(3).needs()).contains(routes.get(2).index());
        for (Step s : plan.steps()) {
            assertThat(s.needs()).allMatch(i -> i < s.index());
        }
        assertThat(plan.toScript())
                .containsSubsequence("route add 169.254.1.1/32 dev eth0", "route add default via 169.254.1.1 dev eth0");
    }

    @Test
    void otherTablesAsTheKernelLooksThemUp() {
        // the gateway route's own table, then main and default: a route of main reaches one of table 100
        assertThat(calico().route("169.254.1.1/32", null, "eth0")
                        .route("default", "169.254.1.1", "eth0")
                        .table(100)
                        .route("169.254.2.0/24", null, "eth0")
                        .table(253)
                        .route("10.5.0.0/16", "169.254.2.9")
                        .route("169.254.3.0/24", null, "eth0")
                        .table(100)
                        .route("10.6.0.0/16", "169.254.3.9")
                        .table(100)
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(6);
        // but not one of table 100 a route of main (no rule looks there), nor one of table 300 one of table 100
        assertThat(problems(() -> calico().route("169.254.1.1/32", null, "eth0")
                        .table(100)
                        .route("default", "169.254.1.1", "eth0")
                        .route("2001:db8:ff::1/128", null, "eth0")
                        .table(300)
                        .route("2001:db8:9::/64", "2001:db8:ff::1", "eth0")
                        .table(100)))
                .containsExactly(
                        "namespace a: route(\"default\", \"169.254.1.1\", \"eth0\"): gateway 169.254.1.1 is not on any"
                                + " subnet of eth0 (the kernel would refuse it)",
                        "namespace a: route(\"2001:db8:9::/64\", \"2001:db8:ff::1\", \"eth0\").table(100): gateway"
                                + " 2001:db8:ff::1 is not on any subnet of eth0 (the kernel would refuse it)");
    }

    @Test
    void aGatewayOutOfAnotherDeviceOrBehindAGatewayIsStillRefused() {
        assertThat(problems(() -> calico().route("169.254.1.1/32", null, "eth0")
                        .route("default", "169.254.1.1", "eth1")
                        .route("10.7.0.0/16", "169.254.1.1", "eth0")
                        .route("10.8.0.0/16", "10.7.0.1")
                        .route("2001:db8:ff::1/128", null, "eth1")
                        .route("2001:db8:9::/64", "2001:db8:ff::1", "eth0")))
                .containsExactly(
                        "namespace a: route(\"default\", \"169.254.1.1\", \"eth1\"): gateway 169.254.1.1 is not on any"
                                + " subnet of eth1 (the kernel would refuse it)",
                        "namespace a: route(\"10.8.0.0/16\", \"10.7.0.1\"): gateway 10.7.0.1 is not on any subnet of"
                                + " namespace a (the kernel would refuse it)",
                        "namespace a: route(\"2001:db8:9::/64\", \"2001:db8:ff::1\", \"eth0\"): gateway 2001:db8:ff::1"
                                + " is not on any subnet of eth0 (the kernel would refuse it)");
    }

    @Test
    void aChangeThatRemovesTheDeviceRouteAGatewayRouteNeedsIsRefused() {
        TopologyBuilder b = calico().route("169.254.1.1/32", null, "eth0").route("default", "169.254.1.1", "eth0");
        b.base = b.spec();
        assertThat(problems(() -> b.removeRoute("169.254.1.1/32")))
                .containsExactly("namespace a: route(\"default\", \"169.254.1.1\", \"eth0\"): gateway 169.254.1.1 is"
                        + " not on any subnet of eth0 (the kernel would refuse it)");
    }

    @Test
    void aChangeDeletesTheGatewayRouteBeforeTheDeviceRouteItNeeds() {
        TopologyBuilder b = calico().route("169.254.1.1/32", null, "eth0").route("default", "169.254.1.1", "eth0");
        Plan before = b.plan();
        TopologyBuilder change = calico();
        Plan both = Delta.of(before, change.spec());
        assertThat(both.steps())
                .filteredOn(s -> s.action() == Action.ROUTE_DEL)
                .extracting(s -> s.commands().get(0).replaceAll(".*route del ", ""))
                .containsExactly("default via 169.254.1.1 dev eth0", "169.254.1.1/32 dev eth0");
    }
}
