package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A change that takes away what a kept route goes out of is refused from the descriptions alone: a
 * device removed under a route declared without a device (the kernel put it out of the device whose
 * subnet holds its gateway), and a device's last IPv4 address (the kernel then deletes every IPv4
 * route out of it).
 */
class RouteOutOfRemovedValidationTest {

    /** As in a change of the live topology {@code b} builds. */
    private static TopologyBuilder change(TopologyBuilder b) {
        b.base = b.spec();
        return b;
    }

    /** a: e0 on 10.9.0.0/24 with a route via 10.9.0.2 (no device), x0 on 10.8.0.0/24 with a default route out of it. */
    private static TopologyBuilder viaGateway() {
        return Topology.create()
                .ns("a")
                .veth("e0", "b", "b0")
                .addr("10.9.0.1/24")
                .route("172.16.0.0/24", "10.9.0.2")
                .veth("x0", "c", "c0")
                .addr("10.8.0.1/24")
                .route("default", null, "x0")
                .metric(50)
                .ns("b")
                .dev("b0")
                .addr("10.9.0.2/24")
                .ns("c")
                .dev("c0")
                .addr("10.8.0.2/24");
    }

    /** a: e0 with 10.9.0.1/24 and fd09::1/64, an IPv4 and an IPv6 route out of it. */
    private static TopologyBuilder outOfDevice() {
        return Topology.create()
                .ns("a")
                .veth("e0", "b", "b0")
                .addr("10.9.0.1/24")
                .addr("fd09::1/64")
                .route("172.16.0.0/24", null, "e0")
                .route("fd16::/64", null, "e0")
                .ns("b")
                .dev("b0")
                .addr("10.9.0.2/24");
    }

    @Test
    void removingTheDeviceARouteWithoutADeviceGoesOutOfIsRefused() {
        assertThat(problems(() -> change(viaGateway()).ns("a").removeDevice("e0")))
                .containsExactly("removeDevice(\"e0\") in namespace a: route(\"172.16.0.0/24\", \"10.9.0.2\") in"
                        + " namespace a goes out of e0, where the kernel put it for its gateway (removeRoute(...) it"
                        + " too)");
    }

    @Test
    void removingTheDeviceAndTheRouteIsTakenInEitherOrder() {
        assertThat(change(viaGateway())
                        .ns("a")
                        .removeDevice("e0")
                        .removeRoute("172.16.0.0/24")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(1);
        assertThat(change(viaGateway())
                        .ns("a")
                        .removeRoute("172.16.0.0/24")
                        .removeDevice("e0")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(1);
    }

    @Test
    void removingTheLastIpv4AddressUnderAnIpv4RouteIsRefused() {
        assertThat(problems(() -> change(outOfDevice()).ns("a").dev("e0").removeAddr("10.9.0.1/24")))
                .containsExactly("device a/e0: the change removes its last IPv4 address, and the kernel then"
                        + " deletes every IPv4 route out of it: route(\"172.16.0.0/24\", null, \"e0\") in namespace a"
                        + " goes out of e0 (removeRoute(...) it too, or keep an IPv4 address on e0)");
    }

    @Test
    void removingTheLastIpv4AddressUnderARouteWithoutADeviceIsRefused() {
        assertThat(problems(() -> change(viaGateway()).ns("a").dev("e0").removeAddr("10.9.0.1/24")))
                .containsExactly("device a/e0: the change removes its last IPv4 address, and the kernel then"
                        + " deletes every IPv4 route out of it: route(\"172.16.0.0/24\", \"10.9.0.2\") in namespace a"
                        + " goes out of e0, where the kernel put it for its gateway (removeRoute(...) it too, or keep"
                        + " an IPv4 address on e0)");
    }

    @Test
    void removingTheLastIpv4AddressAndTheRouteIsTakenInEitherOrder() {
        assertThat(change(outOfDevice())
                        .ns("a")
                        .dev("e0")
                        .removeAddr("10.9.0.1/24")
                        .ns("a")
                        .removeRoute("172.16.0.0/24", null, "e0")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(1);
        assertThat(change(outOfDevice())
                        .ns("a")
                        .removeRoute("172.16.0.0/24", null, "e0")
                        .dev("e0")
                        .removeAddr("10.9.0.1/24")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(1);
    }

    @Test
    void anotherIpv4AddressKeptOrAddedOrTheLastIpv6AddressRemovedKeepsTheRoutes() {
        // the change adds before it deletes; the kernel deletes no IPv6 route when a device loses its IPv6 addresses
        assertThat(change(outOfDevice())
                        .ns("a")
                        .dev("e0")
                        .addr("10.9.1.1/24")
                        .removeAddr("10.9.0.1/24")
                        .removeAddr("fd09::1/64")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(2);
    }
}
