package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.RouteSpec;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * removeRoute(...) in a change, as {@code ip -j [-6] route show table all} lists the routes: deleted
 * last, all or nothing, only the topology's own.
 */
@RequiresRoot
class RemoveRouteTest {
    private final String p = TestNames.unique("rr") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Everything {@code ip} lists of namespace a's routes, IPv4 and IPv6, every table (the kernel's own too). */
    private String allRoutes() {
        return Ip.ok("-n", p + "a", "-j", "-4", "route", "show", "table", "all")
                + Ip.ok("-n", p + "a", "-j", "-6", "route", "show", "table", "all");
    }

    @Test
    void aChangeDeletesTheRoutesOfTheDestinationMetricAndTableAndNothingElse() throws Exception {
        try (Topology t = RouteMetricTableTest.routes().prefix(p).apply()) {
            // the user's own route to the same destination, another metric: not the topology's
            t.netlink("a")
                    .routeAdd(RouteSpec.to(IpPrefix.parse("10.2.0.0/16"))
                            .via(InetAddress.getByName("10.100.0.2"))
                            .metric(70));
            String kernelsOwn = Ip.ok("-n", p + "a", "-j", "-4", "route", "show", "table", "local");
            t.change()
                    .ns("a")
                    .removeRoute("10.2.0.0/16")
                    .metric(50)
                    .removeRoute("fd02::/64")
                    .metric(7)
                    .table(100)
                    .removeRoute("default", "10.100.0.2", null)
                    .table(253)
                    .apply();
            assertThat(routes(p + "a", false))
                    .containsExactly(
                            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 0 table 100",
                            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 10 table main",
                            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 70 table main");
            assertThat(routes(p + "a", true)).isEmpty();
            assertThat(Ip.ok("-n", p + "a", "-j", "-4", "route", "show", "table", "local"))
                    .isEqualTo(kernelsOwn);
            assertThat(Ip.ok("-n", p + "a", "-4", "route", "show")).contains("10.100.0.0/24 dev e0 proto kernel");
            assertThat(t.spec().namespace("a").routes()).hasSize(2);
            assertThat(t.plan().toScript())
                    .doesNotContain("metric 50")
                    .doesNotContain("fd02::/64")
                    .doesNotContain("table 253");
            // and a next change goes on from there: the route may be declared again
            t.change().ns("a").route("10.2.0.0/16", "10.100.0.2").metric(50).apply();
            assertThat(routes(p + "a", false)).contains("10.2.0.0/16 via 10.100.0.2 dev e0 metric 50 table main");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aChangeFailingAfterTheRemovalWasPlannedLeavesTheRouteAsItWas() {
        try (Topology t = RouteMetricTableTest.routes().prefix(p).apply()) {
            String before = allRoutes();
            String state = StateDump.of(p);
            Plan plan = addAndRemove(t).plan();
            assertThat(plan.steps())
                    .extracting(Step::action)
                    .containsExactly(Action.ROUTE_ADD, Action.ROUTE_ADD, Action.ROUTE_DEL, Action.ROUTE_DEL);
            assertThat(plan.toScript())
                    .contains("ip -n " + p + "a route del 10.2.0.0/16 via 10.100.0.2 metric 50\n")
                    .contains("ip -n " + p + "a route del fd02::/64 via fd00::2 metric 7 table 100\n");
            // at the second addition, at the first and the second deletion
            for (int failAt : new int[] {1, 2, 3}) {
                assertThatThrownBy(() -> addAndRemove(t).apply(new ApplyOptions(failAt)))
                        .isInstanceOf(ApplyException.class);
                assertThat(allRoutes()).as("failing at %d", failAt).isEqualTo(before);
                assertThat(StateDump.of(p)).isEqualTo(state);
                assertThat(t.spec().namespace("a").routes()).hasSize(5);
            }
            addAndRemove(t).apply();
            assertThat(routes(p + "a", false))
                    .containsExactly(
                            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 0 table 100",
                            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 10 table main",
                            "10.4.0.0/16 via 10.100.0.2 dev e0 metric 0 table main",
                            "10.5.0.0/16 via 10.100.0.2 dev e0 metric 0 table main",
                            "default via 10.100.0.2 dev e0 metric 0 table default");
            assertThat(routes(p + "a", true)).isEmpty();
        }
    }

    private static TopologyBuilder addAndRemove(Topology t) {
        return t.change()
                .ns("a")
                .route("10.4.0.0/16", "10.100.0.2")
                .removeRoute("10.2.0.0/16")
                .metric(50)
                .route("10.5.0.0/16", "10.100.0.2")
                .removeRoute("fd02::/64", "fd00::2", null)
                .table(100)
                .metric(7);
    }

    @Test
    void aRouteReplacedThroughNetlinkIsNotTheTopologysAndIsRefused() throws Exception {
        try (Topology t = RouteMetricTableTest.routes().prefix(p).apply()) {
            t.netlink("a")
                    .routeReplace(RouteSpec.to(IpPrefix.parse("10.2.0.0/16"))
                            .via(InetAddress.getByName("10.100.0.3"))
                            .metric(50));
            String before = allRoutes();
            assertThatThrownBy(() -> t.change()
                            .ns("a")
                            .removeRoute("10.2.0.0/16")
                            .metric(50)
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("namespace a: route 10.2.0.0/16 via 10.100.0.2 metric 50: the kernel's route"
                            + " to 10.2.0.0/16 of metric 50 in table 254 is not the one the topology added (via"
                            + " 10.100.0.3");
            assertThat(allRoutes()).isEqualTo(before);
        }
    }

    @Test
    void aRouteThatDownTookIsNotGivenBackByUpOnceRemoved() {
        try (Topology t = RouteMetricTableTest.routes().prefix(p).apply()) {
            t.down("a", "e0");
            t.change().ns("a").removeRoute("10.2.0.0/16").metric(50).apply();
            assertThat(routes(p + "a", false)).isEmpty();
            t.up("a", "e0");
            assertThat(routes(p + "a", false))
                    .containsExactly(
                            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 0 table 100",
                            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 10 table main",
                            "default via 10.100.0.2 dev e0 metric 0 table default");
            assertThat(routes(p + "a", true)).containsExactly("fd02::/64 via fd00::2 dev e0 metric 7 table 100");
        }
    }
}
