package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.NamespaceRoute;
import org.junit.jupiter.api.Test;

/**
 * removeRoute("default") as route("default", gateway) means it: the namespace's default route of the
 * one family it has one of ({@code ip -6 route del default} for an IPv6 one), refused naming
 * {@code 0.0.0.0/0} and {@code ::/0} when it has both.
 */
class RemoveDefaultRouteTest {

    /** {@code b} as a change of it starts: its description the base. */
    private static TopologyBuilder change(TopologyBuilder b) {
        b.base = b.spec();
        return b;
    }

    @Test
    void theOnlyDefaultRouteBeingIpv6ItIsTheOneRemoved() {
        TopologyBuilder b = change(RouteMetricTableValidationTest.twoHosts().gateway("fd00::2"))
                .removeRoute("default");
        assertThat(b.spec().namespace("a").routes()).isEmpty();
    }

    @Test
    void theOnlyDefaultRouteBeingIpv6ItsMetricIsAnIpv6Ones() {
        TopologyBuilder b = change(RouteMetricTableValidationTest.twoHosts()
                        .gateway("fd00::2")
                        .metric(5))
                .removeRoute("default")
                .metric(5);
        assertThat(b.spec().namespace("a").routes()).isEmpty();
    }

    @Test
    void theOnlyDefaultRouteBeingIpv4ItIsTheOneRemoved() {
        TopologyBuilder b = change(RouteMetricTableValidationTest.twoHosts().gateway("10.100.0.2"))
                .removeRoute("default");
        assertThat(b.spec().namespace("a").routes()).isEmpty();
    }

    @Test
    void defaultRoutesOfBothFamiliesAreRefusedNamingBoth() {
        assertThat(problems(() -> change(RouteMetricTableValidationTest.twoHosts()
                                .gateway("10.100.0.2")
                                .gateway("fd00::2"))
                        .removeRoute("default")))
                .singleElement()
                .asString()
                .contains("removeRoute(\"default\")")
                .contains("0.0.0.0/0")
                .contains("::/0");
        TopologyBuilder b = change(RouteMetricTableValidationTest.twoHosts()
                        .gateway("10.100.0.2")
                        .gateway("fd00::2"))
                .removeRoute("::/0");
        assertThat(b.spec().namespace("a").routes())
                .extracting(NamespaceRoute::iproute2)
                .containsExactly("default via 10.100.0.2");
    }
}
