package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which route validation takes the kernel to check an IPv6 gateway by, as measured on 6.18 with
 * {@code ip route add} in a namespace: the longest match out of the route's device, first in its
 * table, then in main; the lower metric on a prefix; a gateway there refuses it (EHOSTUNREACH).
 */
class Ipv6GatewayLongestMatchValidationTest {

    /** a: e0 on 2001:db8::/64, e1 on 2001:db8:ff::/64. */
    private static TopologyBuilder a() {
        return Topology.create()
                .prefix("se8-v-")
                .ns("a")
                .veth("e0", "b", "b0")
                .addr("2001:db8::1/64")
                .veth("e1", "b", "b1")
                .addr("2001:db8:ff::1/64")
                .ns("b")
                .ns("a");
    }

    @Test
    void aMoreSpecificRouteWithAGatewayOfALowerMetricDecides() {
        assertThat(problems(() -> a().route("2001:db8::/96", "2001:db8:ff::9")
                        .metric(10)
                        .route("2001:db8::/96", null, "e0")
                        .route("2001:db8:72::/64", "2001:db8::5")))
                .singleElement()
                .asString()
                .contains("route(\"2001:db8:72::/64\", \"2001:db8::5\"): gateway 2001:db8::5 is reached through"
                        + " route(\"2001:db8::/96\", \"2001:db8:ff::9\").metric(10)")
                .contains("route(\"2001:db8::5/128\", null, \"e0\")");
    }

    @Test
    void oneOfAHigherMetricDoesNot() {
        assertThat(a().route("2001:db8::/96", "2001:db8:ff::9")
                        .metric(2000)
                        .route("2001:db8::/96", null, "e0")
                        .route("2001:db8:73::/64", "2001:db8::5")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(3);
    }

    @Test
    void aRouteWithoutAGatewayInTheRoutesTableIsFoundFirst() {
        assertThat(a().route("2001:db8::/96", "2001:db8:ff::9")
                        .route("2001:db8::/120", null, "e0")
                        .table(100)
                        .route("2001:db8:70::/64", "2001:db8::5")
                        .table(100)
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(3);
    }

    @Test
    void aRouteWithAGatewayInTheRoutesTableSendsTheKernelToMain() {
        assertThat(a().route("2001:db8::/100", "2001:db8:ff::9")
                        .table(101)
                        .route("2001:db8:71::/64", "2001:db8::5")
                        .table(101)
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(2);
    }

    @Test
    void withADeviceOnlyRoutesOutOfItCount() {
        assertThat(problems(() ->
                        a().route("2001:db8::/96", "fe80::9", "e0").route("2001:db8:74::/64", "2001:db8::5", "e0")))
                .singleElement()
                .asString()
                .contains("is reached through route(\"2001:db8::/96\", \"fe80::9\", \"e0\")")
                .contains("longest matching route out of e0");
        assertThat(a().route("2001:db8::/96", "fe80::9", "e1")
                        .route("2001:db8:74::/64", "2001:db8::5", "e0")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(2);
    }
}
