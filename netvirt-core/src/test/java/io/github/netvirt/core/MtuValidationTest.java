package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.assertReported;
import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.MacvlanMode;
import org.junit.jupiter.api.Test;

/**
 * MTUs the kernel would lower (a vxlan above its lower device's MTU less the encapsulation, a bridge
 * other than its ports' smallest) or refuse (a macvlan above its lower device's, a passthru macvlan
 * beside another) are refused by validation; the MTUs it takes pass.
 */
class MtuValidationTest {

    @Test
    void aVxlanAboveItsLowerDeviceLessTheIpv4HeadroomIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("up0", "b", "up0")
                        .vxlan("vx", 1)
                        .remote("192.168.9.2")
                        .lower("up0")
                        .mtu(1451)
                        .ns("b")),
                "device a/vx: MTU 1451 is above the most a vxlan over up0 (MTU 1500) takes: 1450"
                        + " (50 bytes of IPv4 encapsulation)");
        assertThat(Topology.create()
                        .ns("a")
                        .veth("up0", "b", "up0")
                        .vxlan("vx", 1)
                        .remote("192.168.9.2")
                        .lower("up0")
                        .mtu(1450)
                        .ns("b")
                        .spec()
                        .device("a", "vx")
                        .mtu())
                .isEqualTo(1450);
    }

    @Test
    void anIpv6VxlanHasSeventyBytesOfHeadroomOverItsLowersDeclaredMtu() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("up0", "b", "up0")
                        .mtu(1600)
                        .vxlan("vx", 1)
                        .remote("fd00::2")
                        .lower("up0")
                        .mtu(1550)
                        .ns("b")),
                "device a/vx: MTU 1550 is above the most a vxlan over up0 (MTU 1600) takes: 1530"
                        + " (70 bytes of IPv6 encapsulation)");
        Topology.create()
                .ns("a")
                .veth("up0", "b", "up0")
                .mtu(1600)
                .vxlan("vx", 1)
                .remote("fd00::2")
                .lower("up0")
                .mtu(1530)
                .ns("b")
                .spec();
    }

    @Test
    void aVxlanWithoutALowerDeviceTakesAnyMtu() {
        Topology.create().ns("a").vxlan("vx", 1).remote("192.168.9.2").mtu(9000).spec();
    }

    @Test
    void aVxlanOverABridgeCountsTheBridgesPortsSmallestMtu() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("p", "b", "p")
                        .mtu(1500)
                        .bridge("br")
                        .ports("p")
                        .vxlan("vx", 1)
                        .remote("192.168.9.2")
                        .lower("br")
                        .mtu(1500)
                        .ns("b")),
                "device a/vx: MTU 1500 is above the most a vxlan over br (MTU 1500) takes: 1450");
    }

    @Test
    void aBridgeMtuOtherThanItsPortsSmallestIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("p0", "b", "p0")
                        .veth("p1", "b", "p1")
                        .mtu(9000)
                        .bridge("br")
                        .mtu(9000)
                        .ports("p0", "p1")
                        .ns("b")
                        .dev("p1")
                        .mtu(9000)),
                "device a/br: MTU 9000 is not its ports' smallest MTU, 1500 (p0's)");
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("p0", "b", "p0")
                        .bridge("br")
                        .mtu(1400)
                        .ports("p0")
                        .ns("b")),
                "device a/br: MTU 1400 is not its ports' smallest MTU, 1500 (p0's)");
    }

    @Test
    void aBridgeWithItsPortsSmallestMtuOrWithoutPortsPasses() {
        Topology.create()
                .ns("a")
                .veth("p0", "b", "p0")
                .mtu(9000)
                .veth("p1", "b", "p1")
                .mtu(9100)
                .bridge("br")
                .mtu(9000)
                .ports("p0", "p1")
                .bridge("lone")
                .mtu(9000)
                .ns("b")
                .dev("p0")
                .mtu(9000)
                .dev("p1")
                .mtu(9100)
                .spec();
    }

    @Test
    void aMacvlanAboveItsLowerDevicesMtuIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("up0", "b", "up0")
                        .macvlan("mv", "up0")
                        .mtu(9000)
                        .ns("b")),
                "device a/mv: MTU 9000 is above its lower device up0's MTU 1500");
        Topology.create()
                .ns("a")
                .veth("up0", "b", "up0")
                .mtu(9000)
                .macvlan("mv", "up0")
                .mtu(9000)
                .ns("b")
                .spec();
    }

    @Test
    void aPassthruMacvlanBesideAnotherOnTheSameLowerIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("up0", "b", "up0")
                        .macvlan("mv1", "up0")
                        .macvlan("mv2", "up0", MacvlanMode.PASSTHRU)
                        .ns("b")),
                "device a/mv2: a passthru macvlan is the only macvlan on its lower device up0, which mv1 is on too");
        // a macvlan on a macvlan sits on the other's lower device
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("up0", "b", "up0")
                        .macvlan("mv1", "up0")
                        .macvlan("mv2", "mv1", MacvlanMode.PASSTHRU)
                        .ns("b")),
                "device a/mv2: a passthru macvlan is the only macvlan on its lower device up0, which mv1 is on too");
        Topology.create()
                .ns("a")
                .veth("up0", "b", "up0")
                .macvlan("mv1", "up0", MacvlanMode.PASSTHRU)
                .macvlan("mv2", "b", MacvlanMode.PASSTHRU)
                .veth("b", "b", "b")
                .ns("b")
                .spec();
    }
}
