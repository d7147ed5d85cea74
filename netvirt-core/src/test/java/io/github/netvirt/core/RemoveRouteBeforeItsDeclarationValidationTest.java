package io.github.netvirt.core;

import static io.github.netvirt.core.RemoveDefaultRouteOfTableValidationTest.change;
import static io.github.netvirt.core.RemoveDefaultRouteOfTableValidationTest.routes;
import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * removeRoute(...) removes a route declared before it, as {@code ip route del} deletes one that is
 * there: called before the route(...) it names, it is a route the namespace does not have (refused,
 * as removeAddr(...) before its addr(...) is), not the silent undoing of a later declaration.
 */
class RemoveRouteBeforeItsDeclarationValidationTest {

    private static TopologyBuilder twoHosts() {
        return RouteMetricTableValidationTest.twoHosts();
    }

    @Test
    void aRemovalBeforeTheRouteIsRefused() {
        assertThat(problems(() -> twoHosts().removeRoute("10.9.0.0/16").route("10.9.0.0/16", "10.100.0.2")))
                .singleElement()
                .asString()
                .contains("removeRoute(\"10.9.0.0/16\")")
                .contains("there is no such route");
    }

    @Test
    void inAChangeARemovalBeforeTheRouteIsRefused() {
        assertThat(problems(() -> change(twoHosts()).removeRoute("10.9.0.0/16").route("10.9.0.0/16", "10.100.0.2")))
                .singleElement()
                .asString()
                .contains("there is no such route");
    }

    @Test
    void aRemovalOfDefaultBeforeTheGatewayIsRefused() {
        assertThat(problems(() -> change(twoHosts()).removeRoute("default").gateway("10.100.0.2")))
                .singleElement()
                .asString()
                .contains("there is no such route");
    }

    @Test
    void aRemovalAfterTheRouteRemovesIt() {
        TopologyBuilder b = twoHosts()
                .route("10.9.0.0/16", "10.100.0.2")
                .route("10.8.0.0/16", "10.100.0.2")
                .removeRoute("10.9.0.0/16");
        assertThat(routes(b)).containsExactly("10.8.0.0/16 via 10.100.0.2");
    }

    @Test
    void aRouteRemovedThenDeclaredAgainIsThere() {
        TopologyBuilder b = twoHosts()
                .route("10.9.0.0/16", "10.100.0.2")
                .removeRoute("10.9.0.0/16")
                .route("10.9.0.0/16", "10.100.0.2", "e0");
        assertThat(routes(b)).containsExactly("10.9.0.0/16 via 10.100.0.2 dev e0");
    }

    @Test
    void inAChangeALiveRouteRemovedThenDeclaredAgainIsStillAReplacement() {
        assertThat(problems(() -> change(twoHosts().route("10.9.0.0/16", "10.100.0.2"))
                        .removeRoute("10.9.0.0/16")
                        .route("10.9.0.0/16", "10.100.0.2")))
                .singleElement()
                .asString()
                .contains("removed and declared again in one change");
    }
}
