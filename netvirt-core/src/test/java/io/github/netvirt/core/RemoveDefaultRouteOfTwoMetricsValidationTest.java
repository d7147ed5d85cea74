package io.github.netvirt.core;

import static io.github.netvirt.core.RemoveDefaultRouteOfTableValidationTest.routes;
import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * removeRoute("default") without a gateway has no family until its metric and table choose one, so
 * two metrics after it conflict only as the family it turns out to be takes them: 0 and 1024 are one
 * IPv6 metric (the kernel takes 0 as 1024) and two IPv4 ones, as they are after route("::/0", ...).
 */
class RemoveDefaultRouteOfTwoMetricsValidationTest {

    /** Namespace a: an IPv6 default route of the default metric (1024), no IPv4 one; a change's builder. */
    private static TopologyBuilder ipv6DefaultOnly() {
        TopologyBuilder b = RouteMetricTableValidationTest.twoHosts().gateway("fd00::2");
        b.base = b.spec();
        return b;
    }

    @Test
    void metricsZeroAndDefaultRemoveTheIpv6DefaultRoute() {
        TopologyBuilder b = ipv6DefaultOnly().removeRoute("default").metric(0).metric(1024);
        assertThat(routes(b)).isEmpty();
    }

    @Test
    void metricsDefaultAndZeroRemoveTheIpv6DefaultRoute() {
        TopologyBuilder b =
                ipv6DefaultOnly().removeRoute("default").metric(1024).metric(0);
        assertThat(routes(b)).isEmpty();
    }

    @Test
    void asForTheIpv6DefaultRouteNamedByItsPrefix() {
        TopologyBuilder b = ipv6DefaultOnly().removeRoute("::/0").metric(0).metric(1024);
        assertThat(routes(b)).isEmpty();
    }

    @Test
    void twoIpv6MetricsStillConflict() {
        assertThat(problems(
                        () -> ipv6DefaultOnly().removeRoute("default").metric(5).metric(1024)))
                .anySatisfy(p -> assertThat(p).contains("conflicting metrics [5, 1024]"));
    }

    @Test
    void anIpv4DefaultRouteIsNotRemovedByMetricsThatConflictForIpv4() {
        assertThat(problems(() -> {
                    TopologyBuilder b =
                            RouteMetricTableValidationTest.twoHosts().gateway("10.100.0.2");
                    b.base = b.spec();
                    return b.removeRoute("default").metric(0).metric(1024);
                }))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).contains("removeRoute(\"default\").metric(0)"));
    }
}
