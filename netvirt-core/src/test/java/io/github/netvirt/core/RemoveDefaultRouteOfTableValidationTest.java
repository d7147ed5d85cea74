package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.NamespaceRoute;
import org.junit.jupiter.api.Test;

/**
 * removeRoute("default") means the default route of the one family among those its own table (main
 * without {@code .table(n)}) and metric (when given) select, as {@code ip route del default table N}
 * looks in table N only; refused only when both families are left.
 */
class RemoveDefaultRouteOfTableValidationTest {

    /** {@code b} as a change of it starts: its description the base. */
    static TopologyBuilder change(TopologyBuilder b) {
        b.base = b.spec();
        return b;
    }

    /** Namespace a: an IPv4 default route in table 100, an IPv6 one in main. */
    static TopologyBuilder ipv4In100Ipv6InMain() {
        return RouteMetricTableValidationTest.twoHosts()
                .gateway("10.100.0.2")
                .table(100)
                .gateway("fd00::2");
    }

    /** Namespace a's routes as {@code ip route} shows them. */
    static String[] routes(TopologyBuilder b) {
        return b.spec().namespace("a").routes().stream()
                .map(NamespaceRoute::iproute2)
                .toArray(String[]::new);
    }

    @Test
    void theTablesOnlyDefaultRouteIsTheOneRemoved() {
        TopologyBuilder b = change(ipv4In100Ipv6InMain()).removeRoute("default").table(100);
        assertThat(routes(b)).containsExactly("default via fd00::2");
    }

    @Test
    void withoutATableTheMainTablesDefaultRouteIsTheOneRemoved() {
        TopologyBuilder b = change(ipv4In100Ipv6InMain()).removeRoute("default");
        assertThat(routes(b)).containsExactly("default via 10.100.0.2 table 100");
    }

    @Test
    void ofTwoIpv6DefaultRoutesTheTablesIsTheOneRemoved() {
        TopologyBuilder b = change(RouteMetricTableValidationTest.twoHosts()
                        .gateway("10.100.0.2")
                        .gateway("fd00::2")
                        .gateway("fd00::2")
                        .table(100))
                .removeRoute("default")
                .table(100);
        assertThat(routes(b)).containsExactly("default via 10.100.0.2", "default via fd00::2");
    }

    @Test
    void theMetricsOnlyDefaultRouteIsTheOneRemoved() {
        TopologyBuilder b = change(RouteMetricTableValidationTest.twoHosts()
                        .gateway("10.100.0.2")
                        .gateway("fd00::2")
                        .metric(5))
                .removeRoute("default")
                .metric(5);
        assertThat(routes(b)).containsExactly("default via 10.100.0.2");
    }

    @Test
    void bothFamiliesInTheTableAreRefusedNamingBoth() {
        assertThat(problems(() -> change(RouteMetricTableValidationTest.twoHosts()
                                .gateway("10.100.0.2")
                                .table(100)
                                .gateway("fd00::2")
                                .table(100)
                                .gateway("fd00::2"))
                        .removeRoute("default")
                        .table(100)))
                .singleElement()
                .asString()
                .contains("removeRoute(\"default\")")
                .contains("0.0.0.0/0")
                .contains("::/0");
    }
}
