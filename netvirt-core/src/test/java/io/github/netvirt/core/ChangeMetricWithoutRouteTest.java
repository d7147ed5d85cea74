package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * metric(n) and table(n) right at the start of a change set nothing: the live routes the change's
 * builder was given are not "the route just declared", so they are refused as without a route, not
 * applied to the live topology's last route (which would replace it without a word).
 */
@RequiresRoot
class ChangeMetricWithoutRouteTest {
    private final String p = TestNames.unique("rb") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void metricOrTableFirstInAChangeIsRefusedAndChangesNoLiveRoute() {
        // the last namespace of the description has a route: the last one the change's builder replays
        try (Topology t = RouteMetricTableValidationTest.twoHosts()
                .ns("b")
                .route("10.3.0.0/16", "10.100.0.1")
                .prefix(p)
                .apply()) {
            List<String> before = routes(p + "b", false);
            assertThat(before).containsExactly("10.3.0.0/16 via 10.100.0.1 dev e1 metric 0 table main");
            assertThatThrownBy(() -> t.change().metric(99).apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("metric(99): no route to set it on");
            assertThatThrownBy(() -> t.change().table(100).apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("table(100): no route to set it on");
            assertThat(routes(p + "b", false)).isEqualTo(before);
            assertThat(t.spec().namespace("b").routes()).hasSize(1);
        }
    }

    /**
     * Nor is the last device or namespace the builder replayed the current one: addr(...) or
     * route(...) first in a change is refused as in a new builder, not added to b/e1 or to b.
     */
    @Test
    void addrOrRouteFirstInAChangeIsRefusedAndAddsNothing() {
        try (Topology t = RouteMetricTableValidationTest.twoHosts().prefix(p).apply()) {
            TopologySpec spec = t.spec();
            assertThatThrownBy(() -> t.change().addr("10.100.0.9/24").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("addr(\"10.100.0.9/24\")");
            assertThatThrownBy(
                            () -> t.change().route("10.9.0.0/16", "10.100.0.1").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("route(\"10.9.0.0/16\"");
            assertThat(t.spec()).isEqualTo(spec);
            assertThat(Ip.ok("-n", p + "b", "-4", "addr", "show", "dev", "e1")).doesNotContain("10.100.0.9");
        }
    }
}
