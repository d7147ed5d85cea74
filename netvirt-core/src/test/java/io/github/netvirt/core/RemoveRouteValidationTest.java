package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.assertReported;
import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.TopologySpec;
import org.junit.jupiter.api.Test;

/** removeRoute(...) as the description takes it: the route of a destination, metric and table, or a problem. */
class RemoveRouteValidationTest {

    /** {@link RouteMetricTableTest#routes()}, with {@link TopologyBuilder#base} set as a change of it would have it. */
    private static TopologyBuilder change() {
        TopologyBuilder b = RouteMetricTableTest.routes();
        b.base = b.spec();
        return b;
    }

    @Test
    void theRouteOfTheDestinationMetricAndTableLeavesTheDescriptionAndTheScript() {
        TopologyBuilder b = RouteMetricTableTest.routes()
                .prefix("rr-x-")
                .removeRoute("10.2.0.0/16")
                .metric(50)
                .removeRoute("fd02::/64", "fd00::2", null)
                .table(100)
                .metric(7)
                .removeRoute("default")
                .table(253);
        TopologySpec spec = b.spec();
        assertThat(spec.namespace("a").routes())
                .extracting(NamespaceRoute::iproute2)
                .containsExactly("10.2.0.0/16 via 10.100.0.2 metric 10", "10.2.0.0/16 via 10.100.0.2 dev e0 table 100");
        assertThat(b.toScript())
                .contains("route add 10.2.0.0/16 via 10.100.0.2 metric 10\n")
                .doesNotContain("metric 50")
                .doesNotContain("fd02::/64")
                .doesNotContain("route add default");
    }

    @Test
    void aRouteTheNamespaceDoesNotHaveIsRefusedNamingTheOnesItHas() {
        assertThat(problems(() -> RouteMetricTableTest.routes()
                        .removeRoute("10.2.0.0/16")
                        .removeRoute("10.9.0.0/16", null, "e0")
                        .ns("b")
                        .removeRoute("default")))
                .containsExactly(
                        "namespace a: removeRoute(\"10.2.0.0/16\"): there is no such route (10.2.0.0/16 of metric 0"
                                + " in table 254); the namespace has 10.2.0.0/16 via 10.100.0.2 metric 10,"
                                + " 10.2.0.0/16 via 10.100.0.2 metric 50, 10.2.0.0/16 via 10.100.0.2 dev e0 table 100",
                        "namespace a: removeRoute(\"10.9.0.0/16\", null, \"e0\"): there is no such route (10.9.0.0/16 of"
                                + " metric 0 in table 254)",
                        "namespace b: removeRoute(\"default\"): there is no such route (0.0.0.0/0 of metric 0 in table"
                                + " 254)");
    }

    @Test
    void aGatewayOrDeviceGivenMustBeTheRoutes() {
        assertThat(problems(() -> RouteMetricTableTest.routes()
                        .removeRoute("10.2.0.0/16", "10.100.0.3", null)
                        .metric(10)
                        .removeRoute("10.2.0.0/16", null, "lo")
                        .metric(50)))
                .containsExactly(
                        "namespace a: removeRoute(\"10.2.0.0/16\", \"10.100.0.3\", null).metric(10): the route to"
                                + " 10.2.0.0/16 of metric 10 in table 254 is 10.2.0.0/16 via 10.100.0.2 metric 10: it"
                                + " goes via 10.100.0.2, not 10.100.0.3",
                        "namespace a: removeRoute(\"10.2.0.0/16\", null, \"lo\").metric(50): the route to 10.2.0.0/16"
                                + " of metric 50 in table 254 is 10.2.0.0/16 via 10.100.0.2 metric 50: it was declared"
                                + " without a device (it goes out of the one the kernel chose), so give none, not"
                                + " \"lo\"");
        assertThat(problems(() -> RouteMetricTableTest.routes()
                        .removeRoute("10.2.0.0/16", null, "lo")
                        .table(100)))
                .containsExactly("namespace a: removeRoute(\"10.2.0.0/16\", null, \"lo\").table(100): the route to"
                        + " 10.2.0.0/16 of metric 0 in table 100 is 10.2.0.0/16 via 10.100.0.2 dev e0 table 100: it"
                        + " goes out of e0, not lo");
    }

    /** A route in an adopted namespace and the device it goes out of, removed in one change (as of a live topology). */
    @Test
    void anAdoptedNamespacesRouteMayGoWithItsDeviceInOneChange() {
        TopologyBuilder b = Topology.create()
                .prefix("gf-x-")
                .adopt("app", "gf-x-adopted")
                .veth("eth1", "client", "app0")
                .addr("10.9.0.2/24")
                .route("10.60.0.0/16", "10.9.0.1", "eth1")
                .ns("client")
                .dev("app0")
                .addr("10.9.0.1/24");
        b.adoptedLive("app"); // as a change's copy has it: held open by the live topology
        b.base = b.spec();
        TopologySpec spec =
                b.ns("app").removeRoute("10.60.0.0/16").removeDevice("eth1").spec();
        assertThat(spec.namespace("app").routes()).isEmpty();
        assertThat(spec.namespace("app").devices()).isEmpty();
        // the device alone still may not go while a route goes out of it
        TopologyBuilder c = Topology.create()
                .prefix("gf-x-")
                .adopt("app", "gf-x-adopted")
                .veth("eth1", "client", "app0")
                .addr("10.9.0.2/24")
                .route("10.60.0.0/16", "10.9.0.1", "eth1")
                .ns("client")
                .dev("app0");
        c.adoptedLive("app");
        c.base = c.spec();
        assertThat(problems(() -> c.ns("app").removeDevice("eth1")))
                .singleElement()
                .asString()
                .contains("removeRoute(...) it too");
    }

    @Test
    void aChangeMayNotRemoveARouteAndDeclareItAgain() {
        assertThat(problems(() -> change().ns("a")
                        .removeRoute("10.2.0.0/16")
                        .metric(50)
                        .route("10.2.0.0/16", "10.100.0.2", "e0")
                        .metric(50)))
                .containsExactly("namespace a: removeRoute(\"10.2.0.0/16\").metric(50): removed and declared again in"
                        + " one change (route(\"10.2.0.0/16\", \"10.100.0.2\", \"e0\").metric(50)), which cannot add"
                        + " the new route before it deletes the old one (a change deletes last, so that a failure"
                        + " leaves the network as it was): remove it in one change and declare it in the next, or"
                        + " replace the live route with netlink(\"a\").routeReplace(...)");
        // another metric is another route: both in one change
        TopologySpec spec = change().ns("a")
                .removeRoute("10.2.0.0/16")
                .metric(50)
                .route("10.2.0.0/16", "10.100.0.2", "e0")
                .metric(60)
                .spec();
        assertThat(spec.namespace("a").routes())
                .extracting(NamespaceRoute::iproute2)
                .contains("10.2.0.0/16 via 10.100.0.2 dev e0 metric 60")
                .doesNotContain("10.2.0.0/16 via 10.100.0.2 metric 50");
    }

    @Test
    void aDeviceMayBeRemovedOnceItsRoutesAre() {
        assertReported(
                problems(() -> RouteMetricTableTest.routes().removeDevice("e0")),
                "removeDevice(\"e0\") in namespace a: route(\"10.2.0.0/16\", \"10.100.0.2\", \"e0\").table(100) in"
                        + " namespace a goes out of e0 (removeRoute(...) it too)");
        TopologySpec spec = RouteMetricTableValidationTest.twoHosts()
                .route("10.2.0.0/16", null, "e0")
                .metric(5)
                .ns("a")
                .removeRoute("10.2.0.0/16", null, "e0")
                .metric(5)
                .removeDevice("e0")
                .ns("a")
                .veth("e9", "b", "e9")
                .spec();
        assertThat(spec.namespace("a").routes()).isEmpty();
    }

    @Test
    void metricAndTableNeedARouteOrARemoval() {
        assertThat(problems(() -> RouteMetricTableTest.routes()
                        .removeRoute("10.2.0.0/16")
                        .metric(10)
                        .metric(11)
                        .removeRoute("10.2.0.0/16")
                        .metric(-1)))
                .contains(
                        "namespace a: removeRoute(\"10.2.0.0/16\").metric(10): conflicting metrics [10, 11]",
                        "namespace a: metric(-1): a metric is 0 or more");
        assertThat(problems(() -> RouteMetricTableTest.routes().removeRoute("10.2.0.0/17")))
                .singleElement()
                .asString()
                .contains("removeRoute(\"10.2.0.0/17\"): ");
        assertThat(problems(() -> RouteMetricTableTest.routes().root().removeRoute("10.2.0.0/16")))
                .containsExactly("namespace (root): removeRoute(\"10.2.0.0/16\"): there is no such route (10.2.0.0/16"
                        + " of metric 0 in table 254)");
    }
}
