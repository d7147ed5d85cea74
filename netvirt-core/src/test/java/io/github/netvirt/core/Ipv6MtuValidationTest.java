package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.assertReported;
import static io.github.netvirt.core.ValidationTest.problems;

import org.junit.jupiter.api.Test;

/**
 * IPv6 on a device whose MTU, declared or the one the kernel gives it, is below IPv6's minimum: the
 * kernel turns IPv6 off there and refuses an address (EINVAL), a route out of it (ENODEV), and a
 * vxlan's IPv6 multicast group over it (EINVAL). Validation refuses them before anything changes.
 */
class Ipv6MtuValidationTest {

    @Test
    void anIpv6AddressOnABridgeWhosePortsSmallestMtuIsBelowTheMinimumIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e0")
                        .mtu(1000)
                        .bridge("br")
                        .ports("e0")
                        .addr("2001:db8:1::1/64")
                        .ns("b")),
                "device a/br: MTU 1000 (its ports' smallest, e0's) is below IPv6's minimum 1280 but the device"
                        + " has an IPv6 address");
    }

    @Test
    void anIpv6AddressOnAMacvlanOverASmallMtuIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e0")
                        .mtu(1000)
                        .macvlan("m0", "e0")
                        .addr("2001:db8:2::1/64")
                        .ns("b")),
                "device a/m0: MTU 1000 (its lower device e0's) is below IPv6's minimum 1280 but the device has an"
                        + " IPv6 address");
    }

    @Test
    void anIpv6AddressOnAVxlanLeftBelowTheMinimumByItsHeadroomIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e0")
                        .mtu(1300)
                        .vxlan("vx", 1)
                        .remote("192.168.9.2")
                        .lower("e0")
                        .addr("2001:db8:3::1/64")
                        .ns("b")),
                "device a/vx: MTU 1250 (its lower device e0's less 50 bytes of encapsulation) is below IPv6's"
                        + " minimum 1280 but the device has an IPv6 address");
    }

    @Test
    void anIpv6RouteOutOfADeviceBelowTheMinimumIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e0")
                        .mtu(1000)
                        .bridge("br")
                        .ports("e0")
                        .route("2001:db8:9::/64", null, "br")
                        .route("2001:db8:8::/64", null, "e0")
                        .ns("b")),
                "route(\"2001:db8:9::/64\", null, \"br\"): device br's MTU 1000 (its ports' smallest, e0's) is"
                        + " below IPv6's minimum 1280: the kernel turns IPv6 off on it (the kernel would refuse the"
                        + " route: ENODEV)",
                "route(\"2001:db8:8::/64\", null, \"e0\"): device e0's MTU 1000 is below IPv6's minimum 1280");
    }

    @Test
    void aVxlansIpv6GroupOverALowerDeviceBelowTheMinimumIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e0")
                        .mtu(1000)
                        .vxlan("vx", 5)
                        .group("ff05::5")
                        .lower("e0")
                        .ns("b")),
                "device a/vx: IPv6 group ff05::5 over e0: e0's MTU 1000 is below IPv6's minimum 1280: the kernel"
                        + " turns IPv6 off on it (it would refuse to join the group: EINVAL)");
    }

    @Test
    void ipv6OverDevicesAtTheMinimumOrWithAnIpv6UnicastUnderlayPasses() {
        Topology.create()
                .ns("a")
                .veth("e0", "b", "e0")
                .mtu(1280)
                .bridge("br")
                .ports("e0")
                .addr("2001:db8:1::1/64")
                .route("2001:db8:9::/64", null, "br")
                .veth("e1", "b", "e1")
                .mtu(1000)
                .vxlan("vx", 6)
                .remote("2001:db8::2")
                .lower("e1")
                .ns("b")
                .spec();
    }
}
