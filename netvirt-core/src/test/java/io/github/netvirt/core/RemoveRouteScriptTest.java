package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The script of a change that removes a route deletes that route, as the change's apply does: for
 * IPv6, {@code ip -6 route del} without a metric deletes the first route of the destination and
 * gateway whatever its metric (the kernel takes metric 0 as any), so the default 1024 is written.
 */
@RequiresRoot
class RemoveRouteScriptTest {
    private final String p = TestNames.unique("rb") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void theScriptDeletesTheIpv6RouteOfTheDefaultMetricNotAnother() {
        try (Topology t = RouteMetricTableValidationTest.twoHosts()
                .route("fd02::/64", "fd00::2")
                .route("fd02::/64", "fd00::2")
                .metric(7)
                .prefix(p)
                .apply()) {
            assertThat(routes(p + "a", true))
                    .containsExactly(
                            "fd02::/64 via fd00::2 dev e0 metric 1024 table main",
                            "fd02::/64 via fd00::2 dev e0 metric 7 table main");
            List<String> dels = t.change()
                    .ns("a")
                    .removeRoute("fd02::/64")
                    .plan()
                    .toScript()
                    .lines()
                    .filter(l -> l.contains(" route del "))
                    .toList();
            assertThat(dels).hasSize(1);
            List<String> words = Arrays.asList(dels.get(0).trim().split(" +"));
            assertThat(words.get(0)).isEqualTo("ip");
            Ip.ok(words.subList(1, words.size()).toArray(String[]::new));
            assertThat(routes(p + "a", true)).containsExactly("fd02::/64 via fd00::2 dev e0 metric 7 table main");
        }
    }

    @Test
    void anIpv6DefaultRouteWithoutAGatewayIsWrittenAsIpv6() {
        // reproducer: "route add default dev e0" is IPv4 to ip; the script made an IPv4 default route and
        // its removal deleted the IPv4 default route of the same metric instead of the IPv6 one
        TopologyBuilder b = RouteMetricTableValidationTest.twoHosts()
                .route("::/0", null, "e0")
                .route("default", "10.100.0.2", "e0")
                .metric(1024)
                .prefix(p);
        assertThat(b.toScript()).contains("route add ::/0 dev e0\n");
        try (Topology t = b.apply()) {
            List<String> v4 = List.of("default via 10.100.0.2 dev e0 metric 1024 table main");
            assertThat(routes(p + "a", false)).isEqualTo(v4);
            assertThat(routes(p + "a", true)).containsExactly("default via null dev e0 metric 1024 table main");
            List<String> dels = t.change()
                    .ns("a")
                    .removeRoute("::/0")
                    .plan()
                    .toScript()
                    .lines()
                    .filter(l -> l.contains(" route del "))
                    .toList();
            assertThat(dels).hasSize(1);
            List<String> words = Arrays.asList(dels.get(0).trim().split(" +"));
            Ip.ok(words.subList(1, words.size()).toArray(String[]::new));
            assertThat(routes(p + "a", true)).isEmpty();
            assertThat(routes(p + "a", false)).isEqualTo(v4);
        }
    }
}
