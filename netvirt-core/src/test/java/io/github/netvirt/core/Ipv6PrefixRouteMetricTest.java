package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kernel makes the route to an IPv6 address's subnet with metric 256 (IP6_RT_PRIO_ADDRCONF): a
 * route of ours of that metric to that subnet is refused before the kernel, which would answer
 * EEXIST; one of the default metric (1024) is a route of its own and is made.
 */
@RequiresRoot
class Ipv6PrefixRouteMetricTest {
    private final String p = TestNames.unique("rb") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void anIpv6RouteOfThePrefixRoutesMetricIsRefusedBeforeTheKernel() {
        assertThatThrownBy(() -> RouteMetricTableValidationTest.twoHosts()
                        .route("fd00::/64", null, "e0")
                        .metric(256)
                        .prefix(p)
                        .apply()
                        .close())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("namespace a: route(\"fd00::/64\", null, \"e0\").metric(256): the kernel made a"
                        + " route to fd00::/64 for address fd00::1/64 of e0 already");
        assertThat(Reference.namespaces(p)).isEmpty();
        try (Topology t = RouteMetricTableValidationTest.twoHosts()
                .route("fd00::/64", null, "e0")
                .prefix(p)
                .apply()) {
            assertThat(t.spec().namespace("a").routes()).hasSize(1);
        }
    }
}
