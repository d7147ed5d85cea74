package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
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
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change that removes a device and what depends on it (a route out of it, a port of it, a device
 * made on it) removes them whatever the order of its calls, as {@code ip -j route} and
 * {@code ip -j link} list them after it.
 */
@RequiresRoot
class RemovalOrderTest {
    private final String p = TestNames.unique("fc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** The names {@code ip -j link show} lists in namespace {@code ns}, sorted. */
    private static List<String> links(String ns) {
        List<String> names = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(Ip.ok("-n", ns, "-j", "link", "show"))) {
            names.add((String) ((Map<?, ?>) o).get("ifname"));
        }
        names.sort(null);
        return names;
    }

    @Test
    void aVethAndTheRouteOutOfItsOtherEndGoInEitherOrder() {
        UnaryOperator<TopologyBuilder> route = c -> c.ns("b").removeRoute("10.9.0.0/16");
        for (String end : new String[] {"a", "b"}) {
            UnaryOperator<TopologyBuilder> device = c -> c.ns(end).removeDevice("eth0");
            for (boolean deviceFirst : new boolean[] {true, false}) {
                String how = "from " + end + "'s end, " + (deviceFirst ? "device first" : "route first");
                try (Topology t =
                        RemovalOrderValidationTest.peerRouteTopology().prefix(p).apply()) {
                    assertThat(routes(p + "b", false))
                            .containsExactly("10.9.0.0/16 via 10.1.0.1 dev eth0 metric 0 table main");
                    TopologyBuilder c = t.change();
                    (deviceFirst ? route.apply(device.apply(c)) : device.apply(route.apply(c))).apply();
                    assertThat(routes(p + "b", false)).as(how).isEmpty();
                    assertThat(Ip.ok("-n", p + "b", "-j", "route", "show", "table", "all"))
                            .as(how)
                            .doesNotContain("10.9.0.0");
                    assertThat(links(p + "a")).as(how).containsExactly("lo");
                    assertThat(links(p + "b")).as(how).containsExactly("lo");
                }
            }
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aNamespaceAndTheRouteOutOfItsVethsOtherEndGoInEitherOrder() {
        UnaryOperator<TopologyBuilder> route = c -> c.ns("b").removeRoute("10.9.0.0/16");
        UnaryOperator<TopologyBuilder> namespace = c -> c.removeNamespace("a");
        for (boolean namespaceFirst : new boolean[] {true, false}) {
            String how = namespaceFirst ? "namespace first" : "route first";
            try (Topology t =
                    RemovalOrderValidationTest.peerRouteTopology().prefix(p).apply()) {
                TopologyBuilder c = t.change();
                (namespaceFirst ? route.apply(namespace.apply(c)) : namespace.apply(route.apply(c))).apply();
                assertThat(Reference.namespaces(p)).as(how).containsExactly(p + "b");
                assertThat(routes(p + "b", false)).as(how).isEmpty();
                assertThat(links(p + "b")).as(how).containsExactly("lo");
            }
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aBridgeBeforeItsPortAndALowerDeviceBeforeWhatIsMadeOnIt() {
        try (Topology t =
                RemovalOrderValidationTest.dependentsTopology().prefix(p).apply()) {
            assertThat(links(p + "s")).containsExactly("br", "d0", "lo", "mv", "p", "vx");
            t.change()
                    .ns("s")
                    .removeDevice("br")
                    .removeDevice("d0")
                    .removeDevice("p")
                    .removeDevice("mv")
                    .removeDevice("vx")
                    .apply();
            assertThat(links(p + "s")).containsExactly("lo");
            assertThat(links(p + "x")).containsExactly("lo");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aDeviceARouteStillGoesOutOfIsRefusedBeforeAnythingChanges() {
        try (Topology t =
                RemovalOrderValidationTest.peerRouteTopology().prefix(p).apply()) {
            String before = StateDump.of(p);
            assertThatThrownBy(() -> t.change()
                            .ns("a")
                            .removeDevice("eth0")
                            .ns("b")
                            .route("10.8.0.0/16", "10.1.0.1", "eth0")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("removeDevice(\"eth0\") in namespace a: route(\"10.9.0.0/16\", \"10.1.0.1\","
                            + " \"eth0\") in namespace b goes out of eth0 (removeRoute(...) it too)")
                    .hasMessageContaining("removeDevice(\"eth0\") in namespace a: route(\"10.8.0.0/16\", \"10.1.0.1\","
                            + " \"eth0\") in namespace b goes out of eth0 (removeRoute(...) it too)");
            assertThat(StateDump.of(p)).isEqualTo(before);
            assertThat(routes(p + "b", false)).containsExactly("10.9.0.0/16 via 10.1.0.1 dev eth0 metric 0 table main");
            // the change goes on from the topology as it was
            t.change()
                    .ns("a")
                    .removeDevice("eth0")
                    .ns("b")
                    .removeRoute("10.9.0.0/16")
                    .apply();
            assertThat(links(p + "b")).containsExactly("lo");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
