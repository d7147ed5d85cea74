package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A removeRoute(...) called before the route(...) it names is refused, and the message says that the
 * route comes after it, rather than that the namespace has the very route it could not find.
 */
class RemoveRouteBeforeItsDeclarationMessageTest {

    @Test
    void theMessageNamesTheDeclarationAfterTheRemoval() {
        assertThat(problems(() -> RouteMetricTableValidationTest.twoHosts()
                        .removeRoute("10.9.0.0/16")
                        .route("10.9.0.0/16", "10.100.0.2")))
                .containsExactly("namespace a: removeRoute(\"10.9.0.0/16\"): there is no such route (10.9.0.0/16 of"
                        + " metric 0 in table 254) before it: route(\"10.9.0.0/16\", \"10.100.0.2\") comes after it");
    }

    @Test
    void theMessageListsOnlyTheRoutesDeclaredBeforeTheRemoval() {
        assertThat(problems(() -> RouteMetricTableValidationTest.twoHosts()
                        .route("10.9.0.0/16", "10.100.0.2")
                        .metric(5)
                        .removeRoute("10.9.0.0/16")
                        .route("10.9.0.0/16", "10.100.0.2")))
                .containsExactly("namespace a: removeRoute(\"10.9.0.0/16\"): there is no such route (10.9.0.0/16 of"
                        + " metric 0 in table 254) before it: route(\"10.9.0.0/16\", \"10.100.0.2\") comes after it;"
                        + " the namespace has 10.9.0.0/16 via 10.100.0.2 metric 5");
    }
}
