package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Validation's model of the routes the kernel makes for a device's addresses, and of which addresses
 * two devices of a namespace may share, against what the kernel does (measured with ip on Linux 6.18:
 * KERNEL-NOTES.md). Pure logic: the kernel tests are KernelMadeRoutesTest.
 */
class KernelMadeRoutesValidationTest {

    /** Namespace a's e0 with {@code cidr}, a veth to b's e1. */
    private static TopologyBuilder oneAddress(String cidr) {
        return Topology.create().ns("b").ns("a").veth("e0", "b", "e1").addr(cidr);
    }

    @Test
    void anIpv4AddressWhoseSubnetIsZeroGetsNoRouteSoNoGatewayIsOnIt() {
        // fib_add_ifaddr makes no route to a prefix of 0.0.0.0 (ipv4_is_zeronet): 10.0.0.1/0, 10.1.0.1/4
        assertThat(problems(() -> oneAddress("10.0.0.1/0").route("10.9.0.0/16", "10.5.5.5")))
                .containsExactly("namespace a: route(\"10.9.0.0/16\", \"10.5.5.5\"): gateway 10.5.5.5 is not on any"
                        + " subnet of namespace a (the kernel would refuse it): the kernel makes no route to the subnet"
                        + " of 10.0.0.1/0 (of e0), whose network is 0.0.0.0");
        assertThat(problems(() -> oneAddress("10.0.0.1/0").gateway("10.5.5.5")))
                .containsExactly(
                        "namespace a: route(\"default\", \"10.5.5.5\"): gateway 10.5.5.5 is not on any subnet of"
                                + " namespace a (the kernel would refuse it): the kernel makes no route to the subnet of"
                                + " 10.0.0.1/0 (of e0), whose network is 0.0.0.0");
        assertThat(problems(() -> oneAddress("10.1.0.1/4").route("10.9.0.0/16", "10.1.0.9")))
                .singleElement()
                .asString()
                .contains("gateway 10.1.0.9 is not on any subnet");
    }

    @Test
    void aRouteToAZeroSubnetIsOursToMake() {
        // the kernel made none: a route of metric 0 to 0.0.0.0/4 through e0 is taken
        assertThat(oneAddress("10.1.0.1/4")
                        .route("0.0.0.0/4", null, "e0")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(1);
        assertThat(oneAddress("10.0.0.1/0")
                        .route("0.0.0.0/0", null, "e0")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(1);
    }

    @Test
    void anIpv4SubnetInZeroNetOtherThanZeroGetsItsRoute() {
        // only the network 0.0.0.0 is zeronet now (every 0/8 one before 2019): 0.1.2.0/24 gets its route
        assertThat(problems(() -> oneAddress("0.1.2.3/24").route("0.1.2.0/24", null, "e0")))
                .containsExactly("namespace a: route(\"0.1.2.0/24\", null, \"e0\"): the kernel made a route to"
                        + " 0.1.2.0/24 for address 0.1.2.3/24 of e0 already");
        assertThat(oneAddress("0.1.2.3/24")
                        .route("10.9.0.0/16", "0.1.2.9")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(1);
    }

    @Test
    void everyIpv6AddressGetsItsPrefixRouteEvenASlash0AndASlash128() {
        // addrconf_prefix_route for any prefix: ::/0 is "default dev e0 proto kernel metric 256"
        assertThat(problems(
                        () -> oneAddress("fd00::1/0").route("::/0", null, "e0").metric(256)))
                .containsExactly("namespace a: route(\"::/0\", null, \"e0\").metric(256): the kernel made a route to"
                        + " ::/0 for address fd00::1/0 of e0 already");
        assertThat(problems(() -> oneAddress("fd01::1/128")
                        .route("fd01::1/128", null, "e0")
                        .metric(256)))
                .containsExactly("namespace a: route(\"fd01::1/128\", null, \"e0\").metric(256): the kernel made a"
                        + " route to fd01::1/128 for address fd01::1/128 of e0 already");
        assertThat(oneAddress("fd00::1/0")
                        .route("2001:db8::/32", "fd00::5")
                        .route("fd01::1/128", null, "e0")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(2);
        // an IPv4 /32 gets none
        assertThat(oneAddress("10.7.0.1/32")
                        .route("10.7.0.1/32", null, "e0")
                        .spec()
                        .namespace("a")
                        .routes())
                .hasSize(1);
    }

    /** Router r with p1 to h1 and p2 to h2, each with {@code cidr}: two layer-2 segments. */
    private static TopologyBuilder router(String cidr) {
        return Topology.create()
                .ns("h1")
                .ns("h2")
                .ns("r")
                .veth("p1", "h1", "eth0")
                .addr(cidr)
                .veth("p2", "h2", "eth0")
                .addr(cidr);
    }

    @Test
    void oneAddressOnTwoSegmentsOfOneNamespaceIsTaken() {
        for (String cidr : new String[] {"fe80::1/64", "10.0.0.1/32", "169.254.1.1/32", "fd00::1/64", "10.0.0.1/24"}) {
            assertThat(router(cidr).spec().device("r", "p2").addresses())
                    .extracting(Object::toString)
                    .containsExactly(cidr);
        }
    }

    @Test
    void oneAddressTwiceOnOneDeviceOrOnOneSegmentOfANamespaceIsRefused() {
        // the kernel: EEXIST for an IPv4 address and prefix twice, for an IPv6 address twice whatever the prefix
        assertThat(problems(() -> router("10.0.0.1/32").dev("p1").addr("10.0.0.1/32")))
                .containsExactly("device r/p1: address 10.0.0.1/32 added twice");
        assertThat(problems(() -> router("fe80::1/64").dev("p1").addr("fe80::1/10")))
                .containsExactly("device r/p1: address fe80::1/10: fe80::1 is on it already (fe80::1/64)");
        // a veth with both ends in r: one segment, where the address would be taken twice
        assertThat(problems(() -> router("fd00::1/64")
                        .veth("x1", "x2")
                        .addr("fd00::7/64")
                        .dev("x2")
                        .addr("fd00::7/64")))
                .containsExactly(
                        "device r/x1: address fd00::7 is also on r/x2, its veth peer: one layer-2 segment needs"
                                + " an address per device (traffic to it would go to either)");
    }
}
