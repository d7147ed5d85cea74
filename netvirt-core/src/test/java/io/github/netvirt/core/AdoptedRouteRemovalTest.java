package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** In an adopted namespace, one change removes a route and the device it goes out of, as {@code ip -j} lists them. */
@RequiresRoot
class AdoptedRouteRemovalTest {
    private final String p = TestNames.unique("gf") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void oneChangeRemovesARouteAndTheDeviceItGoesOutOf() {
        String adopted = p + "ad";
        Ip.ok("netns", "add", adopted);
        try (Topology t = Topology.create()
                .prefix(p)
                .adopt("app", adopted)
                .veth("eth1", "client", "app0")
                .addr("10.9.0.2/24")
                .route("10.60.0.0/16", "10.9.0.1", "eth1")
                .ns("client")
                .dev("app0")
                .addr("10.9.0.1/24")
                .apply()) {
            assertThat(routes(adopted, false))
                    .containsExactly("10.60.0.0/16 via 10.9.0.1 dev eth1 metric 0 table main");
            t.change()
                    .ns("app")
                    .removeRoute("10.60.0.0/16")
                    .removeDevice("eth1")
                    .apply();
            assertThat(routes(adopted, false)).isEmpty();
            assertThat(Ip.ok("-n", adopted, "-j", "route", "show", "table", "all"))
                    .doesNotContain("10.60.0.0");
            assertThat(Ip.ok("-n", adopted, "-j", "link", "show")).doesNotContain("eth1");
            assertThat(t.spec().namespace("app").routes()).isEmpty();
        }
        assertThat(Ip.ok("-n", adopted, "-j", "link", "show"))
                .contains("\"lo\"")
                .doesNotContain("eth1");
    }
}
