package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.assertReported;
import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.TopologySpec;
import org.junit.jupiter.api.Test;

/** A route's metric and table, as the DSL declares them: carried into the description and the script, or refused. */
class RouteMetricTableValidationTest {

    /** Namespace a with 10.100.0.1/24 and fd00::1/64 on a veth to b. */
    static TopologyBuilder twoHosts() {
        return Topology.create()
                .ns("a")
                .veth("e0", "b", "e1")
                .addr("10.100.0.1/24")
                .addr("fd00::1/64")
                .ns("b")
                .dev("e1")
                .addr("10.100.0.2/24")
                .addr("fd00::2/64")
                .ns("a");
    }

    @Test
    void twoRoutesToOneDestinationDifferInMetricOrTable() {
        TopologySpec spec = twoHosts()
                .route("10.2.0.0/16", "10.100.0.2")
                .metric(10)
                .route("10.2.0.0/16", "10.100.0.2")
                .metric(50)
                .route("10.2.0.0/16", "10.100.0.2")
                .metric(10)
                .table(100)
                .route("fd02::/64", "fd00::2", "e0")
                .table(100)
                .metric(7)
                .gateway("10.100.0.2")
                .table(253)
                .spec();
        assertThat(spec.namespace("a").routes())
                .extracting(NamespaceRoute::iproute2)
                .containsExactly(
                        "10.2.0.0/16 via 10.100.0.2 metric 10",
                        "10.2.0.0/16 via 10.100.0.2 metric 50",
                        "10.2.0.0/16 via 10.100.0.2 metric 10 table 100",
                        "fd02::/64 via fd00::2 dev e0 metric 7 table 100",
                        "default via 10.100.0.2 table 253");
        assertThat(spec.namespace("a").routes())
                .extracting(NamespaceRoute::metric, NamespaceRoute::table)
                .containsExactly(tuple(10, 254), tuple(50, 254), tuple(10, 100), tuple(7, 100), tuple(0, 253));
    }

    @Test
    void theScriptAddsTheMetricAndTable() {
        String s = twoHosts()
                .prefix("rm-x-")
                .route("10.2.0.0/16", "10.100.0.2")
                .metric(50)
                .table(100)
                .route("fd02::/64", "fd00::2")
                .metric(0)
                .toScript();
        assertThat(s)
                .contains("ip -n rm-x-a route add 10.2.0.0/16 via 10.100.0.2 metric 50 table 100\n")
                // IPv6's metric 0 is the kernel's 1024, the default: left out
                .contains("ip -n rm-x-a route add fd02::/64 via fd00::2\n");
    }

    @Test
    void aSecondRouteOfTheSameDestinationMetricAndTableIsRefused() {
        // IPv4's default metric is 0, IPv6's 1024 (and the kernel takes IPv6's 0 as 1024): EEXIST each
        assertReported(
                problems(() -> twoHosts()
                        .route("10.2.0.0/16", "10.100.0.2")
                        .route("10.2.0.0/16", "10.100.0.2")
                        .metric(0)
                        .route("fd02::/64", "fd00::2")
                        .route("fd02::/64", "fd00::2")
                        .metric(0)
                        .route("fd03::/64", "fd00::2")
                        .metric(1024)
                        .route("fd03::/64", "fd00::2")
                        .route("10.3.0.0/16", "10.100.0.2")
                        .metric(5)
                        .table(9)
                        .route("10.3.0.0/16", "10.100.0.2")
                        .table(9)
                        .metric(5)),
                "namespace a: route(\"10.2.0.0/16\", \"10.100.0.2\").metric(0): a second route to 10.2.0.0/16 of"
                        + " metric 0 in table 254: two routes to one destination need different metrics or tables",
                "route(\"fd02::/64\", \"fd00::2\").metric(0): a second route to fd02::/64 of metric 1024 in table 254",
                "route(\"fd03::/64\", \"fd00::2\"): a second route to fd03::/64 of metric 1024",
                "route(\"10.3.0.0/16\", \"10.100.0.2\").table(9).metric(5): a second route to 10.3.0.0/16 of metric 5"
                        + " in table 9");
    }

    @Test
    void badMetricsAndTablesAreRefused() {
        assertThat(problems(() -> twoHosts()
                        .route("10.2.0.0/16", "10.100.0.2")
                        .metric(-1)
                        .table(0)
                        .table(255)
                        .table(-5)
                        .route("10.3.0.0/16", "10.100.0.2")
                        .metric(5)
                        .metric(6)
                        .table(7)
                        .table(8)
                        .dev("e0")
                        .metric(9)
                        .ns("b")
                        .table(10)))
                .containsExactly(
                        "namespace a: metric(-1): a metric is 0 or more",
                        "namespace a: table(0): a table is 1 to 2^31-1 (the kernel takes 0 as main)",
                        "namespace a: table(255): 255 is the kernel's local table, which holds its own routes to the"
                                + " namespace's addresses",
                        "namespace a: table(-5): a table is 1 to 2^31-1 (the kernel takes 0 as main)",
                        "namespace a: route(\"10.3.0.0/16\", \"10.100.0.2\").metric(5): conflicting metrics [5, 6]",
                        "namespace a: route(\"10.3.0.0/16\", \"10.100.0.2\").metric(5).table(7): conflicting tables"
                                + " [7, 8]",
                        "namespace a: metric(9): no route to set it on: call it right after route(...), gateway(...) or"
                                + " removeRoute(...)",
                        "namespace b: table(10): no route to set it on: call it right after route(...), gateway(...) or"
                                + " removeRoute(...)");
    }

    @Test
    void aRouteToAnAddressSubnetIsRefusedOnlyWhereTheKernelMadeOne() {
        // the kernel's prefix route is in main, of metric 0: another metric or table is a route of its own
        TopologySpec spec = twoHosts()
                .route("10.100.0.0/24", "10.100.0.2")
                .metric(50)
                .route("10.100.0.0/24", null, "e0")
                .table(100)
                .spec();
        assertThat(spec.namespace("a").routes()).hasSize(2);
        assertReported(
                problems(() -> twoHosts().route("10.100.0.0/24", null, "e0").metric(0)),
                "the kernel made a route to 10.100.0.0/24 for address 10.100.0.1/24 of e0 already");
    }

    @Test
    void aNullMacSaysSo() {
        assertThat(problems(() -> twoHosts().dev("e0").mac(null)))
                .containsExactly("a/e0: mac(null): the MAC address is null");
        assertThat(problems(() -> twoHosts().dev("e0").addr(null)))
                .containsExactly("a/e0: addr(null): the address is null");
    }

    /** IPv6's metric 0 is 1024 for the kernel, and for the DSL: giving both is giving one metric twice. */
    @Test
    void anIpv6RoutesMetric0And1024DoNotConflict() {
        TopologySpec spec =
                twoHosts().route("fd02::/64", "fd00::2").metric(0).metric(1024).spec();
        assertThat(spec.namespace("a").routes())
                .extracting(NamespaceRoute::metric)
                .containsExactly(1024);
    }
}
