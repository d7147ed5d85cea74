package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * In a change, a live route removed, declared again and removed again is gone, as {@code ip route del X;
 * ip route add X; ip route del X} leaves it: the second declaration is undone by the second removal, so
 * nothing replaces the live route. Declared a third time, it is a replacement again (refused).
 */
class LiveRouteRemovedDeclaredAndRemovedAgainValidationTest {

    private static TopologyBuilder changeOfALiveRoute() {
        TopologyBuilder b = RouteMetricTableValidationTest.twoHosts().route("10.9.0.0/16", "10.100.0.2");
        b.base = b.spec();
        return b;
    }

    @Test
    void theLiveRouteIsRemoved() {
        TopologyBuilder b = changeOfALiveRoute()
                .removeRoute("10.9.0.0/16")
                .route("10.9.0.0/16", "10.100.0.2")
                .removeRoute("10.9.0.0/16");
        assertThat(b.spec().namespace("a").routes()).isEmpty();
    }

    @Test
    void declaredAThirdTimeItIsAReplacement() {
        assertThat(problems(() -> changeOfALiveRoute()
                        .removeRoute("10.9.0.0/16")
                        .route("10.9.0.0/16", "10.100.0.2")
                        .removeRoute("10.9.0.0/16")
                        .route("10.9.0.0/16", "10.100.0.2", "e0")))
                .singleElement()
                .asString()
                .contains("removed and declared again in one change");
    }
}
