package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Routes with a metric and a table, as the kernel lists them: applied, scripted, changed, downed and upped. */
@RequiresRoot
class RouteMetricTableTest {
    private final String p = TestNames.unique("rm") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Two routes to 10.2.0.0/16 (metrics 10 and 50), one in table 100, an IPv6 one in table 100 and a default in 253. */
    static TopologyBuilder routes() {
        return RouteMetricTableValidationTest.twoHosts()
                .route("10.2.0.0/16", "10.100.0.2")
                .metric(10)
                .route("10.2.0.0/16", "10.100.0.2")
                .metric(50)
                .route("10.2.0.0/16", "10.100.0.2", "e0")
                .table(100)
                .route("fd02::/64", "fd00::2")
                .metric(7)
                .table(100)
                .gateway("10.100.0.2")
                .table(253);
    }

    /**
     * {@code ip -j [-6] route show table all} of {@code ns}, one "dst gateway dev metric table" line per
     * route that is not the kernel's own (its local table and prefix routes), sorted.
     */
    static List<String> routes(String ns, boolean ipv6) {
        List<String> out = new ArrayList<>();
        String json = ipv6
                ? Ip.ok("-n", ns, "-j", "-6", "route", "show", "table", "all")
                : Ip.ok("-n", ns, "-j", "-4", "route", "show", "table", "all");
        for (Object o : (List<?>) Json.parse(json)) {
            Map<?, ?> r = (Map<?, ?>) o;
            if ("kernel".equals(r.get("protocol")) || "local".equals(r.get("table")) || r.containsKey("type")) {
                continue;
            }
            out.add(r.get("dst") + " via " + r.get("gateway") + " dev " + r.get("dev") + " metric "
                    + (r.containsKey("metric") ? r.get("metric") : 0) + " table "
                    + (r.containsKey("table") ? r.get("table") : "main"));
        }
        out.sort(null);
        return out;
    }

    private static final List<String> V4 = List.of(
            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 0 table 100",
            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 10 table main",
            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 50 table main",
            "default via 10.100.0.2 dev e0 metric 0 table default");
    private static final List<String> V6 = List.of("fd02::/64 via fd00::2 dev e0 metric 7 table 100");

    @Test
    void applyAndTheScriptMakeTheRoutesWithTheirMetricsAndTables() {
        String script = TestNames.unique("rm") + "s-";
        try (DeleteNetnsAfter scripted = DeleteNetnsAfter.prefixed(script);
                Topology t = routes().prefix(p).apply()) {
            assertThat(routes(p + "a", false)).containsExactlyElementsOf(V4);
            assertThat(routes(p + "a", true)).containsExactlyElementsOf(V6);
            Reference.sh(routes().prefix(script).toScript()).ok();
            assertThat(routes(script + "a", false)).containsExactlyElementsOf(V4);
            assertThat(routes(script + "a", true)).containsExactlyElementsOf(V6);
            assertThat(Reference.stateDump(script)).contains("table=100").isEqualTo(Reference.stateDump(p));
        }
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(Reference.namespaces(script)).isEmpty();
    }

    @Test
    void downAndUpGiveTheRoutesBack() {
        try (Topology t = routes().prefix(p).apply()) {
            t.down("a", "e0");
            assertThat(routes(p + "a", false)).isEmpty();
            assertThat(routes(p + "a", true)).isEmpty();
            t.up("a", "e0");
            assertThat(routes(p + "a", false)).containsExactlyElementsOf(V4);
            assertThat(routes(p + "a", true)).containsExactlyElementsOf(V6);
        }
    }

    @Test
    void aChangeAddsSuchRoutesAndAFailedOneTakesThemBack() {
        try (Topology t = routes().prefix(p).apply()) {
            String before = StateDump.of(p);
            // two steps, the second fails: the first route, in table 200, is deleted again
            assertThatThrownBy(() -> twoMore(t).apply(new ApplyOptions(1))).isInstanceOf(ApplyException.class);
            assertThat(StateDump.of(p)).isEqualTo(before);
            twoMore(t).apply();
            assertThat(routes(p + "a", false))
                    .contains(
                            "10.4.0.0/16 via 10.100.0.2 dev e0 metric 60 table 200",
                            "10.5.0.0/16 via 10.100.0.2 dev e0 metric 0 table 200");
            assertThat(t.spec().namespace("a").routes()).hasSize(7);
        }
    }

    private static TopologyBuilder twoMore(Topology t) {
        return t.change()
                .ns("a")
                .route("10.4.0.0/16", "10.100.0.2")
                .metric(60)
                .table(200)
                .route("10.5.0.0/16", "10.100.0.2")
                .table(200);
    }

    @Test
    void aChangeThatRedeclaresARouteOrAnMtuSaysWhatToDoInstead() {
        try (Topology t = routes().prefix(p).dev("e0").mtu(1600).apply()) {
            assertThatThrownBy(() -> t.change()
                            .ns("a")
                            .route("10.2.0.0/16", "10.100.0.3")
                            .metric(50)
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("namespace a: route(\"10.2.0.0/16\", \"10.100.0.3\").metric(50): a second"
                            + " route to 10.2.0.0/16 of metric 50 in table 254: the topology has one, and a change"
                            + " cannot replace a route: give this one another metric or table, removeRoute(...) the"
                            + " live one in a change and declare this one in the next, or replace the live route with"
                            + " netlink(\"a\").routeReplace(...)");
            assertThatThrownBy(() -> t.change().ns("a").dev("e0").mtu(9000).apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("device a/e0: mtu(9000): a change cannot change the MTU of a device that is"
                            + " there (1600): set it on the live device with netlink(\"a\").linkSetMtu(...)");
            assertThat(routes(p + "a", false)).containsExactlyElementsOf(V4);
        }
    }
}
