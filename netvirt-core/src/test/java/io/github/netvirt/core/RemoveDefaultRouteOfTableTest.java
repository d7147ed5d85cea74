package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * removeRoute("default").table(n) in a change deletes the default route of table n, the one family
 * there, and keeps the other family's default route of another table, as {@code ip -j [-6] route
 * show table all} lists them.
 */
@RequiresRoot
class RemoveDefaultRouteOfTableTest {
    private final String p = TestNames.unique("jT") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void theTablesDefaultRouteIsDeletedAndTheOtherFamilysKept() {
        try (Topology t = RemoveDefaultRouteOfTableValidationTest.ipv4In100Ipv6InMain()
                .prefix(p)
                .apply()) {
            assertThat(routes(p + "a", false)).containsExactly("default via 10.100.0.2 dev e0 metric 0 table 100");
            assertThat(routes(p + "a", true)).containsExactly("default via fd00::2 dev e0 metric 1024 table main");
            t.change().ns("a").removeRoute("default").table(100).apply();
            assertThat(routes(p + "a", false)).isEmpty();
            assertThat(routes(p + "a", true)).containsExactly("default via fd00::2 dev e0 metric 1024 table main");
            // and without a table, the main table's: the IPv6 one
            t.change().ns("a").removeRoute("default").apply();
            assertThat(routes(p + "a", true)).isEmpty();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
