package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.MacvlanSettings;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.core.spec.VxlanSettings;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.MacvlanMode;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every class of bad description gives its own message, all of them in one exception. */
class ValidationTest {

    static List<String> problems(Supplier<TopologyBuilder> b) {
        try {
            b.get().spec();
        } catch (InvalidTopologyException e) {
            return e.problems();
        }
        throw new AssertionError("expected an InvalidTopologyException");
    }

    /** Each of {@code expected} is part of one of the {@code problems}. */
    static void assertReported(List<String> problems, String... expected) {
        for (String e : expected) {
            assertThat(problems).as("a problem containing %s", e).anyMatch(s -> s.contains(e));
        }
    }

    @Test
    void seedIsValid() {
        TopologySpec spec = Seeds.seed().spec();
        assertThat(spec.namespaces()).extracting(n -> n.name()).containsExactly("net0", "net1", "bridge");
        assertThat(spec.device("bridge", "bridge-net0").master()).isEqualTo("br");
        assertThat(spec.device("net0", "net0-bridge").up()).isTrue();
        assertThat(spec.namespace("net0").kernelName()).isEqualTo("net0");
    }

    @Test
    void prefixChangesKernelNamesOnly() {
        TopologySpec spec = Seeds.seed().prefix("co-a-").spec();
        assertThat(spec.namespace("net0").kernelName()).isEqualTo("co-a-net0");
        assertThat(Seeds.seed().ephemeral().spec().namespace("net0").kernelName())
                .isNull();
    }

    /** A description with exactly one problem: its label, the description, what that problem says. */
    static Stream<Arguments> oneProblem() {
        String prefix = "p".repeat(10);
        String name = "x".repeat(250);
        return Stream.of(
                bridgeNamed("a-very-long-name-x", "a/a-very-long-name-x", "18 bytes, at most 15"),
                bridgeNamed("x/y", "'/'"),
                bridgeNamed("x:1", "':'"),
                bridgeNamed("x y", "' '"),
                bridgeNamed("..", "'..'"),
                bridgeNamed("", "empty"),
                problem("a tap name template", () -> Topology.create().ns("a").tap("tap%d"), "'%'"),
                bridgeNamed("lo", "already has lo"),
                namespaceNamed("a/b", "namespace \"a/b\"", "'/'"),
                namespaceNamed("..", "'..'"),
                namespaceNamed("", "empty"),
                namespaceNamed("a\nb", "a\\x0ab", "control character"),
                problem("'/' in a prefix", () -> Topology.create().prefix("p/").ns("a"), "prefix \"p/\""),
                problem(
                        "a prefixed namespace name too long",
                        () -> Topology.create().prefix(prefix).ns(name),
                        "longer than 255 bytes"),
                // reported against the prefixed name
                problem(
                        "a prefixed namespace name too long, with its parts",
                        () -> Topology.create().prefix(prefix).ns(name).bridge("br"),
                        "namespace \"" + name + "\"",
                        "kernel name \"" + prefix + name + "\"",
                        "prefix \"" + prefix + "\"",
                        "260 bytes"),
                // masters and ports
                problem(
                        "enslaved twice",
                        () -> Topology.create()
                                .ns("a")
                                .veth("x", "y")
                                .bridge("br0")
                                .ports("x")
                                .bridge("br1")
                                .ports("x"),
                        "a/x is enslaved 2 times (to br0, br1)"),
                problem(
                        "a tap as master",
                        () -> Topology.create()
                                .ns("a")
                                .veth("x", "y")
                                .tap("t")
                                .dev("x")
                                .master("t"),
                        "master t is a tap, not a bridge"),
                problem(
                        "a bridge as port",
                        () -> Topology.create()
                                .ns("a")
                                .bridge("b1")
                                .bridge("b2")
                                .master("b1"),
                        "a bridge cannot be a port"),
                problem(
                        "ports of a tap",
                        () -> Topology.create().ns("a").tap("t").ports("x"),
                        "ports(...) on a tap, not a bridge"));
    }

    /** A bridge named {@code name} in namespace a. */
    private static Arguments bridgeNamed(String name, String... expected) {
        return problem(
                "bridge \"" + name + "\"", () -> Topology.create().ns("a").bridge(name), expected);
    }

    /** A namespace named {@code name} with a bridge. */
    private static Arguments namespaceNamed(String name, String... expected) {
        return problem(
                "namespace \"" + name + "\"", () -> Topology.create().ns(name).bridge("br"), expected);
    }

    private static Arguments problem(String label, Supplier<TopologyBuilder> b, String... expected) {
        return Arguments.of(label, b, List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void oneProblem(String label, Supplier<TopologyBuilder> b, List<String> expected) {
        assertThat(problems(b)).singleElement().asString().contains(expected);
    }

    @Test
    void aLongNamespaceNameWithinTheLimitIsValid() {
        assertThat(Topology.create().ns("x".repeat(250)).bridge("br").spec().namespaces())
                .hasSize(1);
    }

    @Test
    void aPrefixLengthensOnlyTheKernelNamesOfNamedNamespaces() {
        String prefix = "p".repeat(10);
        String name = "x".repeat(250);
        // an ephemeral namespace has no kernel name: the prefix does not lengthen anything
        assertThat(Topology.create()
                        .ephemeral()
                        .prefix(prefix)
                        .ns(name)
                        .bridge("br")
                        .spec()
                        .namespaces())
                .hasSize(1);
        // devices keep their names: the prefix applies to namespace names only
        assertThat(Topology.create()
                        .prefix(prefix)
                        .ns("a")
                        .bridge("br")
                        .spec()
                        .device("a", "br")
                        .name())
                .isEqualTo("br");
    }

    @Test
    void undefinedNamespacesAndDevices() {
        List<String> p = problems(() -> Topology.create()
                .ns("net0")
                .veth("a", "nowhere", "b")
                .bridge("br")
                .ports("ghost")
                .dev("phantom")
                .mtu(1400)
                .macvlan("mv", "absent"));
        assertThat(p)
                .anyMatch(s -> s.contains("namespace \"nowhere\" is used (by veth net0/a)")
                        && s.contains("never declared with ns(\"nowhere\")"));
        assertReported(
                p,
                "device net0/ghost is used (by port of br) but never declared",
                "device net0/phantom is used (by dev(\"phantom\"))",
                "device net0/absent is used (by macvlan mv)");
        assertThat(p).hasSize(4);
    }

    @Test
    void duplicatesWithinANamespace() {
        List<String> p = problems(
                () -> Topology.create().ns("a").bridge("br").veth("x", "br").tap("x"));
        assertReported(p, "device a/br is declared 2 times", "device a/x is declared 2 times");
        // the same name in two namespaces is fine
        Topology.create().ns("a").bridge("br").ns("b").bridge("br").spec();
    }

    @Test
    void malformedAddresses() {
        List<String> p = problems(() -> Topology.create()
                .ns("a")
                .tap("t")
                .addr("10.0.1.300/24")
                .addr("10.0.1.1/33")
                .addr("10.0.1/24")
                .addr("fd00::1::2/64")
                .addr("fd00::1/129")
                .addr("host.example/24")
                .addr("10.0.0.1/x")
                .mac("02:00:00:00:00")
                .mac("01:00:5e:00:00:01"));
        assertThat(p).anyMatch(s -> s.contains("addr(\"10.0.1.300/24\")") && s.contains("300 > 255"));
        assertThat(p).anyMatch(s -> s.contains("addr(\"10.0.1.1/33\")") && s.contains("too long"));
        assertThat(p).anyMatch(s -> s.contains("addr(\"10.0.1/24\")") && s.contains("malformed IPv4"));
        assertThat(p).anyMatch(s -> s.contains("addr(\"fd00::1::2/64\")") && s.contains("malformed IPv6"));
        assertReported(p, "addr(\"fd00::1/129\")", "addr(\"host.example/24\")");
        assertThat(p).anyMatch(s -> s.contains("addr(\"10.0.0.1/x\")") && s.contains("prefix length"));
        assertThat(p).anyMatch(s -> s.contains("mac(\"02:00:00:00:00\")") && s.contains("malformed MAC"));
        assertReported(p, "MAC 01:00:5e:00:00:01 is not a unicast address");
        assertThat(p).hasSize(9);
    }

    @Test
    void aTapMtuAboveTheKernelsMaximumForTapsIsReported() {
        List<String> p = problems(() -> Topology.create().ns("a").tap("t").mtu(65530));
        assertThat(p).containsExactly("device a/t: MTU 65530 is above a tap's maximum 65521");
        assertThat(Topology.create()
                        .ns("a")
                        .tap("t")
                        .mtu(65521)
                        .veth("x", "y")
                        .mtu(65535)
                        .spec()
                        .namespaces())
                .hasSize(1);
    }

    @Test
    void conflictingSettings() {
        List<String> p = problems(() -> Topology.create()
                .ns("a")
                .veth("x", "y")
                .mtu(1400)
                .mtu(1500)
                .mac("02:00:00:00:00:01")
                .mac("02:00:00:00:00:02")
                .up()
                .down()
                .dev("y")
                .addr("10.0.0.1/24")
                .addr("10.0.0.1/24")
                .tap("t")
                .addr("10.0.0.1/16")
                .mtu(1000)
                .addr("fd00::1/64")
                .mtu(1000)
                .bridge("br")
                .mtu(40)
                .gateway("10.9.9.9")
                .gateway("10.0.0.254")
                .route("10.1.0.0/16", "fd00::9"));
        assertReported(
                p,
                "a/x: conflicting MTUs [1400, 1500]",
                "a/x: conflicting MAC addresses",
                "a/x: both up() and down()",
                "a/y: address 10.0.0.1/24 added twice",
                "a/t: MTU 1000 is below IPv6's minimum 1280",
                "a/br: MTU 40 out of range",
                "gateway 10.9.9.9 is not on any subnet",
                "a second route to 0.0.0.0/0 (default)",
                "different families");
    }

    @Test
    void aRouteDestinationWithHostBitsIsRefusedNotCorrected() {
        // ip route add 10.7.1.2/16 ...: "Error: Invalid prefix for given prefix length."
        List<String> p = problems(() -> Topology.create()
                .ns("a")
                .veth("u2e", "b", "e2u")
                .addr("10.0.0.1/24")
                .addr("fd00::1/64")
                .route("10.7.1.2/16", "10.0.0.2", "u2e")
                .route("fd07::1/64", "fd00::2")
                .bridge("br")
                .bridge("br")
                .ns("b"));
        assertThat(p)
                .containsExactly(
                        "a/u2e: route(\"10.7.1.2/16\", \"10.0.0.2\", \"u2e\"): route destination 10.7.1.2/16"
                                + " has host bits set (use 10.7.0.0/16)",
                        "a/u2e: route(\"fd07::1/64\", \"fd00::2\"): route destination fd07::1/64 has host"
                                + " bits set (use fd07::/64)",
                        "device a/br is declared 2 times: names must be unique within a namespace");
        assertThatThrownBy(() -> Topology.create()
                        .ns("a")
                        .veth("u2e", "b", "e2u")
                        .addr("10.0.0.1/24")
                        .route("10.7.1.2/16", "10.0.0.2", "u2e")
                        .ns("b")
                        .toScript())
                .isInstanceOf(InvalidTopologyException.class);
        // a host route and the default route have no host bits to clear
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("u2e", "b", "e2u")
                .addr("10.0.0.1/24")
                .route("10.7.1.2", "10.0.0.2")
                .route("10.8.0.0/16", "10.0.0.2")
                .gateway("10.0.0.2")
                .ns("b")
                .spec();
        assertThat(spec.namespace("a").routes())
                .extracting(r -> r.destination().toString())
                .containsExactly("10.7.1.2/32", "10.8.0.0/16", "0.0.0.0/0");
    }

    @Test
    void anIpv4LinkLocalGatewayIsCheckedLikeAnyOtherIpv4Gateway() {
        // the kernel takes an IPv4 gateway in 169.254/16 on a subnet of the namespace, with or without
        // a device, and refuses one on no subnet ("Nexthop has invalid gateway"); only an IPv6
        // link-local gateway is taken off-subnet, and needs the device
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e1")
                        .addr("10.0.0.1/24")
                        .route("10.20.0.0/16", "169.254.1.1", "e0")
                        .route("10.21.0.0/16", "169.254.1.1")
                        .ns("b")))
                .containsExactly(
                        "namespace a: route(\"10.20.0.0/16\", \"169.254.1.1\", \"e0\"): gateway 169.254.1.1 is not"
                                + " on any subnet of e0 (the kernel would refuse it)",
                        "namespace a: route(\"10.21.0.0/16\", \"169.254.1.1\"): gateway 169.254.1.1 is not on any"
                                + " subnet of namespace a (the kernel would refuse it)");
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("e0", "b", "e1")
                .addr("169.254.0.1/16")
                .addr("fd00::1/64")
                .route("10.21.0.0/16", "169.254.1.1")
                .route("10.22.0.0/16", "169.254.1.1", "e0")
                .route("fd09::/64", "fe80::1", "e0")
                .ns("b")
                .spec();
        assertThat(spec.namespace("a").routes()).hasSize(3);
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e1")
                        .addr("fd00::1/64")
                        .route("fd0a::/64", "fe80::1")
                        .ns("b")),
                "a link-local gateway needs a device");
    }

    @Test
    void aSubnetsBroadcastAddressIsNoGateway() {
        // ip route add ... via 10.5.0.255: "Error: Nexthop has invalid gateway."; the network address and
        // both addresses of a /31 are taken
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e1")
                        .addr("10.5.0.1/24")
                        .route("10.30.0.0/16", "10.5.0.255")
                        .route("10.31.0.0/16", "10.5.0.255", "e0")
                        .ns("b")))
                .containsExactly(
                        "namespace a: route(\"10.30.0.0/16\", \"10.5.0.255\"): gateway 10.5.0.255 is the broadcast"
                                + " address of 10.5.0.1/24 (the kernel would refuse it)",
                        "namespace a: route(\"10.31.0.0/16\", \"10.5.0.255\", \"e0\"): gateway 10.5.0.255 is the"
                                + " broadcast address of 10.5.0.1/24 (the kernel would refuse it)");
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("e0", "b", "e1")
                .addr("10.5.0.1/24")
                .addr("10.6.0.1/31")
                .route("10.32.0.0/16", "10.5.0.0")
                .route("10.33.0.0/16", "10.6.0.0")
                .ns("b")
                .spec();
        assertThat(spec.namespace("a").routes()).hasSize(2);
    }

    @Test
    void aNumberWithALeadingZeroIsRefusedNotReadAsDecimal() {
        // iproute2 reads 010 as octal: ip addr add 010.0.0.1/24 makes 8.0.0.1/24, 10.0.0.3/024 a /20
        List<String> p = problems(() -> Topology.create()
                .ns("a")
                .veth("e0", "b", "e1")
                .addr("010.0.0.1/24")
                .addr("10.0.0.3/024")
                .addr("fd00::1/064")
                .addr("10.0.0.1/24")
                .route("10.07.0.0/16", "10.0.0.2")
                .gateway("10.0.0.09")
                .vxlan("vx", 7)
                .remote("10.0.0.010")
                .ns("b"));
        String zero = ": a number with a leading zero: iproute2 reads it as octal; write it without the zero";
        assertThat(p)
                .containsExactly(
                        "a/e0: addr(\"010.0.0.1/24\"): \"010.0.0.1/24\"" + zero,
                        "a/e0: addr(\"10.0.0.3/024\"): \"10.0.0.3/024\"" + zero,
                        "a/e0: addr(\"fd00::1/064\"): \"fd00::1/064\"" + zero,
                        "a/e0: route(\"10.07.0.0/16\", \"10.0.0.2\"): \"10.07.0.0/16\"" + zero,
                        "a/e0: gateway: \"10.0.0.09\"" + zero,
                        "a/vx: remote: \"10.0.0.010\"" + zero);
        // a zero on its own is a number, and IPv6 groups are hexadecimal to iproute2 too
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("e0", "b", "e1")
                .addr("10.0.0.1/24")
                .addr("fd00:0001::0/64")
                .route("10.0.0.0/8", "10.0.0.2")
                .route("0.0.0.0/0", "10.0.0.2", "e0")
                .ns("b")
                .spec();
        assertThat(spec.device("a", "e0").addresses())
                .extracting(IpPrefix::toString)
                .containsExactly("10.0.0.1/24", "fd00:1::/64");
        assertThat(spec.namespace("a").routes()).hasSize(2);
    }

    @Test
    void aRouteToTheSubnetOfAnIpv4AddressIsRefused() {
        // the address made 10.5.0.0/24 already: ip route add 10.5.0.0/24 ...: "RTNETLINK answers: File exists"
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e1")
                        .addr("10.5.0.1/24")
                        .addr("10.6.0.1/31")
                        .veth("e2", "b", "e3")
                        .route("10.5.0.0/24", null, "e2")
                        .route("10.6.0.0/31", "10.5.0.2")
                        .ns("b")))
                .containsExactly(
                        "namespace a: route(\"10.5.0.0/24\", null, \"e2\"): the kernel made a route to 10.5.0.0/24"
                                + " for address 10.5.0.1/24 of e0 already",
                        "namespace a: route(\"10.6.0.0/31\", \"10.5.0.2\"): the kernel made a route to 10.6.0.0/31"
                                + " for address 10.6.0.1/31 of e0 already");
        // a /32 makes no route, a down device none yet, and IPv6's (metric 256) is not the route's (1024)
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("e0", "b", "e1")
                .addr("10.5.0.1/24")
                .addr("10.7.0.1/32")
                .addr("fd00::1/64")
                .bridge("br")
                .down()
                .addr("10.8.0.1/24")
                .route("10.7.0.1/32", null, "e0")
                .route("fd00::/64", null, "e0")
                .route("10.8.0.0/24", "10.5.0.2")
                .ns("b")
                .spec();
        assertThat(spec.namespace("a").routes()).hasSize(3);
    }

    @Test
    void anIpv6AddressTwiceOnADeviceIsRefusedWhateverItsPrefixLength() {
        // the kernel keys IPv6 addresses by address alone (EEXIST), IPv4 ones by address and prefix
        List<String> p = problems(() -> Topology.create()
                .ns("a")
                .bridge("br")
                .addr("fd00::1/64")
                .addr("fd00::1/48")
                .addr("10.0.0.1/24")
                .addr("10.0.0.1/16"));
        assertThat(p).containsExactly("device a/br: address fd00::1/48: fd00::1 is on it already (fd00::1/64)");
    }

    @Test
    void queueCounts() {
        List<String> p = problems(() -> Topology.create()
                .ns("a")
                .veth("x", "y")
                .queues(1)
                .queues(2)
                .bridge("br")
                .queues(0)
                .tap("t")
                .queues(1)
                .veth("v", "w")
                .queues(4097));
        assertReported(
                p,
                "a/x: conflicting queue counts [1, 2]",
                "a/br: queues(0): the kernel takes 1..4096",
                "a/t: queues() applies to devices made by netlink, not a tap",
                "a/v: queues(4097): the kernel takes 1..4096");
        assertThat(p).noneMatch(s -> s.contains("a/y") || s.contains("a/w")); // each reported on its own end only
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("x", "b", "y")
                .queues(1)
                .veth("v", "b", "w")
                .queues(2)
                .ns("b")
                .dev("w")
                .queues(3)
                .spec();
        // an end without a count takes its peer's: the kernel makes both in one request
        assertThat(spec.device("b", "y").queues()).isEqualTo(1);
        assertThat(spec.device("a", "v").queues()).isEqualTo(2);
        assertThat(spec.device("b", "w").queues()).isEqualTo(3);
        assertThat(Seeds.seed().spec().device("bridge", "br").queues()).isZero();
    }

    @Test
    void vxlanAndMacvlanRules() {
        List<String> p = problems(() -> Topology.create()
                .ns("a")
                .vxlan("vx0", 1 << 24)
                .remote("10.0.0.2")
                .group("239.1.1.1")
                .dstPort(0)
                .vxlan("vx1", 5)
                .group("10.0.0.3")
                .vxlan("vx2", 6)
                .remote("239.1.1.2")
                .local("fd00::1")
                .tap("t")
                .remote("10.0.0.1")
                .macvlan("mv", null));
        assertReported(
                p,
                "a/vx0: VNI 16777216 out of range",
                "a/vx0: UDP port 0 out of range",
                "a/vx0: both remote 10.0.0.2 and group 239.1.1.1",
                "a/vx1: group 10.0.0.3 is not a multicast address",
                "a/vx2: remote 239.1.1.2 is multicast",
                "a/vx2: local fd00::1 and 239.1.1.2 are of different families",
                "a/t: remote(\"10.0.0.1\") applies to a vxlan device, not a tap",
                "a/mv: a macvlan needs a lower device");
    }

    @Test
    void aMulticastLocalAddressIsRefusedOnAVxlan() {
        // ip link add ... type vxlan id 9 local 239.1.1.1: 'argument "239.1.1.1" is wrong: invalid local address'
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .vxlan("vx0", 9)
                        .local("239.1.1.1")
                        .vxlan("vx1", 10)
                        .remote("fd00::2")
                        .local("ff05::1")))
                .containsExactly(
                        "device a/vx0: local 239.1.1.1 is multicast: a vxlan sends from a unicast address",
                        "device a/vx1: local ff05::1 is multicast: a vxlan sends from a unicast address");
    }

    @Test
    void aVxlansIpv6LinkLocalAddressesGoTogetherAndWithALowerDevice() {
        // the kernel: "Invalid combination of local and remote address scopes", "Local interface required
        // for link-local local/remote addresses"
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .vxlan("vx0", 1)
                        .remote("fe80::1")
                        .lower("br")
                        .vxlan("vx1", 2)
                        .remote("fd00::9")
                        .local("fe80::2")
                        .lower("br")
                        .vxlan("vx2", 3)
                        .group("ff05::1")
                        .local("fe80::2")
                        .lower("br")
                        .vxlan("vx3", 4)
                        .local("fe80::2")))
                .containsExactly(
                        "device a/vx0: local (none) and remote fe80::1: a link-local address goes with link-local"
                                + " ones only",
                        "device a/vx1: local fe80::2 and remote fd00::9: a link-local address goes with link-local"
                                + " ones only",
                        "device a/vx2: local fe80::2 and group ff05::1: a link-local address goes with link-local"
                                + " ones only",
                        "device a/vx3: a link-local local address needs a lower device (lower(...))");
        TopologySpec spec = Topology.create()
                .ns("a")
                .bridge("br")
                .vxlan("vx0", 1)
                .remote("fe80::1")
                .local("fe80::2")
                .lower("br")
                .vxlan("vx1", 2)
                .group("ff02::1")
                .local("fe80::2")
                .lower("br")
                .vxlan("vx2", 3)
                .remote("fd00::9")
                .local("fd00::1")
                .spec();
        assertThat(spec.namespace("a").devices()).hasSize(4);
    }

    @Test
    void aKindsOwnSettingsAreOneValue() throws Exception {
        TopologySpec spec = Topology.create()
                .ns("a")
                .bridge("br")
                .tap("t")
                .veth("v0", "v1")
                .macvlan("mv", "br", MacvlanMode.PRIVATE)
                .vxlan("vx", 42)
                .remote("10.0.0.2")
                .local("10.0.0.1")
                .dstPort(4790)
                .lower("br")
                .spec();
        assertThat(spec.device("a", "mv").settings()).isEqualTo(new MacvlanSettings(MacvlanMode.PRIVATE));
        assertThat(spec.device("a", "vx").settings())
                .isEqualTo(new VxlanSettings(
                        42, InetAddress.getByName("10.0.0.2"), null, InetAddress.getByName("10.0.0.1"), 4790));
        assertThat(spec.device("a", "vx").lower()).isEqualTo("br");
        assertThat(List.of("br", "t", "v0", "v1"))
                .allSatisfy(d -> assertThat(spec.device("a", d).settings()).isNull());
    }

    @Test
    void aMacvlanWithoutAModeIsAProblemNotACrash() {
        assertReported(
                problems(() -> Topology.create().ns("a").bridge("br").macvlan("mv", "br", null)),
                "a/mv: a macvlan needs a mode");
    }

    @Test
    void usageMistakesAreReportedToo() {
        List<String> p = problems(() -> Topology.create().bridge("br").ns("a").addr("10.0.0.1/24"));
        assertReported(
                p, "bridge(\"br\") before any ns(...)", "namespace a: addr(\"10.0.0.1/24\") with no current device");
        assertThat(problems(() -> Topology.create())).singleElement().asString().contains("empty");
    }

    @Test
    void theUsersOfAnUndeclaredDeviceAreListedOnceEachInOrder() {
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .ports("ghost", "ghost")
                        .vxlan("vx", 1)
                        .lower("ghost")
                        .dev("ghost")
                        .veth("x", "y")
                        .master("nobr")))
                .containsExactly(
                        "device a/ghost is used (by port of br, vxlan vx, dev(\"ghost\")) but never declared",
                        "device a/nobr is used (by master of x) but never declared");
    }

    @Test
    void aPrefixedNameIsMeasuredInBytes() {
        assertAccepted("p".repeat(100), "n".repeat(155));
        assertAccepted("é".repeat(64), "é".repeat(63));
        assertAccepted("é".repeat(42), "é".repeat(43));
        assertReported(problems(() -> Topology.create().prefix("p".repeat(100)).ns("n".repeat(156))), "256 bytes");
        assertReported(problems(() -> Topology.create().prefix("é".repeat(64)).ns("é".repeat(64))), "256 bytes");
    }

    /** A topology of one namespace {@code ns} with {@code prefix} is valid. */
    private static void assertAccepted(String prefix, String ns) {
        assertThat(Topology.create().prefix(prefix).ns(ns).spec().namespaces()).hasSize(1);
    }

    @Test
    void eachCallWithoutItsNamespaceOrDeviceIsNamedExactly() {
        assertThat(problems(() -> Topology.create()
                        .veth("v", "b", "w")
                        .bridge("br")
                        .tap("t")
                        .macvlan("mv", "br")
                        .vxlan("vx", 7)
                        .dev("d")
                        .ns("a")
                        .mtu(1400)
                        .master("br")
                        .addr("10.0.0.1/24")
                        .mac("02:00:00:00:00:01")
                        .veth("v", "a", null)
                        .bridge("br")
                        .addr("10.0.0.300/24")))
                .containsExactly(
                        "veth(\"v\", \"b\", \"w\") before any ns(...): say which namespace it belongs to",
                        "bridge(\"br\") before any ns(...): say which namespace it belongs to",
                        "tap(\"t\") before any ns(...): say which namespace it belongs to",
                        "macvlan(\"mv\", ...) before any ns(...): say which namespace it belongs to",
                        "vxlan(\"vx\", 7) before any ns(...): say which namespace it belongs to",
                        "dev(\"d\") before any ns(...): say which namespace it belongs to",
                        "namespace a: mtu(1400) with no current device (declare one, or select it with dev(...))",
                        "namespace a: master(\"br\") with no current device (declare one, or select it with dev(...))",
                        "namespace a: addr(\"10.0.0.1/24\") with no current device (declare one, or select it with"
                                + " dev(...))",
                        "namespace a: mac(\"02:00:00:00:00:01\") with no current device (declare one, or select it"
                                + " with dev(...))",
                        "namespace a: veth(\"v\", \"a\", null): names must not be null",
                        "a/br: addr(\"10.0.0.300/24\"): malformed IPv4 address \"10.0.0.300\": 300 > 255");
    }

    @Test
    void nullNamesAreProblemsNotCrashes() {
        List<String> p = problems(() -> Topology.create()
                .ns(null)
                .ns("a")
                .bridge(null)
                .veth("x", null, "y")
                .bridge("br")
                .ports("z", null)
                .master(null)
                .dev(null)
                .vxlan("vx", 1)
                .lower(null)
                .macvlan(null, "br"));
        assertReported(
                p,
                "ns(null)",
                "a bridge named null",
                "veth(\"x\", null, \"y\"): names must not be null",
                "ports(...) with a null name",
                "master(null)",
                "dev(null)",
                "lower(null)",
                "a macvlan named null");
    }

    @Test
    void rootNamespaceIsExplicitAndNeverRouted() {
        TopologySpec spec =
                Topology.create().ns("a").veth("x", Topology.ROOT, "co-host0").spec();
        assertThat(spec.namespace(Topology.ROOT).root()).isTrue();
        assertThat(spec.namespace(Topology.ROOT).device("co-host0")).isPresent();
        List<String> p = problems(() -> Topology.create()
                .root()
                .veth("co-a", "co-b")
                .addr("10.0.0.1/24")
                .gateway("10.0.0.2")
                .forwarding());
        assertReported(p, "(root): forwarding() is refused", "(root): routes are refused");
    }

    @Test
    void allAndDefaultAreNoDeviceNames() {
        // ip link add all type veth peer name x: "RTNETLINK answers: Invalid argument", a bare EINVAL at apply
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("all", "b", "default")
                        .bridge("ALL")
                        .tap("Default")
                        .ns("b")))
                .containsExactly(
                        "device a/all: not an interface name: 'all' and 'default' are reserved: they name the sysctls"
                                + " of every device and of new devices (/proc/sys/net/ipv4/conf/all, .../default)",
                        "device b/default: not an interface name: 'all' and 'default' are reserved: they name the"
                                + " sysctls of every device and of new devices (/proc/sys/net/ipv4/conf/all,"
                                + " .../default)");
    }

    @Test
    void aMacvlanOnABridgePortIsRefused() {
        // ip link add mv0 link eth0 type macvlan, eth0 a port of br: "Device or resource busy" (either order)
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("eth0", "b", "eth0")
                        .bridge("br")
                        .ports("eth0")
                        .macvlan("mv0", "eth0")
                        .ns("b")))
                .containsExactly("device a/mv0: lower device eth0 is a port of bridge br: a device is a bridge's port"
                        + " or a macvlan's lower device, not both (the kernel would refuse it: EBUSY); put the macvlan"
                        + " on br instead");
        // on the bridge itself, on a device that is no port, on another macvlan: the kernel takes these
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("eth0", "b", "eth0")
                .veth("eth1", "b", "eth1")
                .bridge("br")
                .ports("eth0")
                .macvlan("mv0", "br")
                .macvlan("mv1", "eth1")
                .macvlan("mv2", "mv1")
                .ns("b")
                .spec();
        assertThat(spec.namespace("a").devices()).hasSize(6);
    }

    @Test
    void aPassthruMacvlansMacIsRefused() {
        // the kernel gives a passthru macvlan its lower device's MAC whatever it is given (KERNEL-NOTES.md)
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e0")
                        .macvlan("pt", "e0", MacvlanMode.PASSTHRU)
                        .mac("02:00:00:00:00:0e")
                        .ns("b")))
                .containsExactly("device a/pt: a passthru macvlan has its lower device e0's MAC address (the kernel"
                        + " would take MAC 02:00:00:00:00:0e to no effect): give e0 mac(\"02:00:00:00:00:0e\")"
                        + " instead");
        // on a macvlan, the kernel puts it on that one's lower device, whose MAC it takes
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .tap("t0")
                        .macvlan("m1", "t0")
                        .macvlan("pt", "m1", MacvlanMode.PASSTHRU)
                        .mac("02:00:00:00:00:0e")))
                .anyMatch(p -> p.startsWith("device a/pt: a passthru macvlan has its lower device t0's MAC address"));
        assertThat(Topology.create()
                        .ns("a")
                        .tap("t0")
                        .mac("02:00:00:00:00:0e")
                        .macvlan("pt", "t0", MacvlanMode.PASSTHRU)
                        .spec()
                        .device("a", "pt")
                        .mac())
                .isNull();
    }

    @Test
    void twoVxlansWithOneVniOnOnePortAndFamilyInANamespaceAreRefused() {
        // the kernel takes one vxlan per VNI, UDP port and family in a namespace, whatever the remote and local
        // addresses: "A VXLAN device with the specified VNI already exists" (EEXIST, vxlan_vni_in_use)
        String rule = ": the kernel takes one vxlan per VNI, UDP port and address family in a namespace, whatever"
                + " their remote and local addresses (it would refuse it: EEXIST)";
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .vxlan("vx0", 7)
                        .remote("10.0.0.2")
                        .vxlan("vx1", 7)
                        .remote("10.0.0.3")
                        .local("10.0.0.1")
                        .vxlan("vx2", 8)
                        .remote("fd00::2")
                        .dstPort(4790)
                        .vxlan("vx3", 8)
                        .local("fd00::1")
                        .dstPort(4790)
                        .vxlan("vx4", 7)))
                .containsExactly(
                        "device a/vx1: VNI 7 on UDP port 4789 (IPv4) is vx0's already" + rule,
                        "device a/vx3: VNI 8 on UDP port 4790 (IPv6) is vx2's already" + rule,
                        "device a/vx4: VNI 7 on UDP port 4789 (IPv4) is vx0's already" + rule);
        // another port, another family, another namespace; IPv6 link-local ones on different lower devices
        TopologySpec spec = Topology.create()
                .ns("a")
                .bridge("br0")
                .bridge("br1")
                .vxlan("vx0", 7)
                .remote("10.0.0.2")
                .vxlan("vx1", 7)
                .remote("10.0.0.2")
                .dstPort(4790)
                .vxlan("vx2", 7)
                .remote("fd00::2")
                .vxlan("vx3", 9)
                .remote("fe80::1")
                .local("fe80::2")
                .lower("br0")
                .vxlan("vx4", 9)
                .remote("fe80::1")
                .local("fe80::2")
                .lower("br1")
                .ns("b")
                .vxlan("vx0", 7)
                .remote("10.0.0.2")
                .spec();
        assertThat(spec.namespace("a").devices()).hasSize(7);
        // the same lower device: refused
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .bridge("br0")
                        .vxlan("vx3", 9)
                        .remote("fe80::1")
                        .local("fe80::2")
                        .lower("br0")
                        .vxlan("vx4", 9)
                        .remote("fe80::3")
                        .local("fe80::2")
                        .lower("br0")))
                .containsExactly("device a/vx4: VNI 9 on UDP port 4789 (IPv6) is vx3's already" + rule);
    }

    @Test
    void aGatewayThatIsTheNamespacesOwnAddressIsNamedSo() {
        // said before: "gateway 10.70.0.1 is not on any subnet of namespace a (the kernel would refuse it)"
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("eth0", "b", "eth0")
                        .addr("10.70.0.1/24")
                        .addr("fd70::1/64")
                        .gateway("10.70.0.1")
                        .route("fd71::/64", "fd70::1")
                        .veth("eth1", "b", "eth1")
                        .addr("10.71.0.1/24")
                        .route("10.72.0.0/16", "10.70.0.1", "eth1")
                        .ns("b")))
                .containsExactly(
                        "namespace a: route(\"default\", \"10.70.0.1\"): gateway 10.70.0.1 is this namespace's own"
                                + " address (10.70.0.1/24 of eth0): a gateway is another host",
                        "namespace a: route(\"fd71::/64\", \"fd70::1\"): gateway fd70::1 is this namespace's own"
                                + " address (fd70::1/64 of eth0): a gateway is another host",
                        "namespace a: route(\"10.72.0.0/16\", \"10.70.0.1\", \"eth1\"): gateway 10.70.0.1 is this"
                                + " namespace's own address (10.70.0.1/24 of eth0): a gateway is another host");
    }

    @Test
    void whitespaceInsideAnAddressIsRefusedAroundItIsNot() {
        // iproute2 would read "10.70.0.1 /24" as two words; it was taken as 10.70.0.1/24
        String inside = ": whitespace inside (iproute2 would read two words)";
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("eth0", "b", "eth0")
                        .addr("10.70.0.1 /24")
                        .addr("fd70::1/ 64")
                        .route("10.80.0.0 /16", "10.70.0.2")
                        .gateway("10.70.0. 2")
                        .ns("b")))
                .containsExactly(
                        "a/eth0: addr(\"10.70.0.1 /24\"): malformed address \"10.70.0.1 /24\"" + inside,
                        "a/eth0: addr(\"fd70::1/ 64\"): malformed address \"fd70::1/ 64\"" + inside,
                        "a/eth0: route(\"10.80.0.0 /16\", \"10.70.0.2\"): malformed address \"10.80.0.0 /16\"" + inside,
                        "a/eth0: gateway: malformed address \"10.70.0. 2\"" + inside);
        // whitespace around a word is trimmed, as everywhere in the DSL's addresses
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr(" 10.70.0.1/24 ")
                .gateway("10.70.0.2 ")
                .ns("b")
                .spec();
        assertThat(spec.device("a", "eth0").addresses())
                .extracting(IpPrefix::toString)
                .containsExactly("10.70.0.1/24");
    }

    @Test
    void anAddressNoInterfaceCanHaveIsRefused() {
        // the kernel adds nothing for 0.0.0.0 (and answers success), refuses :: and IPv6 multicast, ::1 off lo,
        // and takes IPv4 multicast and 255.255.255.255 without a route to their subnet
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .addr("0.0.0.0/0")
                        .addr("0.0.0.0/24")
                        .addr("::/0")
                        .addr("::/64")
                        .addr("224.0.0.5/24")
                        .addr("239.255.255.255/32")
                        .addr("ff02::5/64")
                        .addr("255.255.255.255/32")
                        .addr("::1/128")))
                .containsExactly(
                        "device a/br: address 0.0.0.0/0: 0.0.0.0 is the unspecified address: the kernel would add"
                                + " nothing and report success",
                        "device a/br: address 0.0.0.0/24: 0.0.0.0 is the unspecified address: the kernel would add"
                                + " nothing and report success",
                        "device a/br: address ::/0: :: is the unspecified address (the kernel would refuse it)",
                        "device a/br: address ::/64: :: is the unspecified address (the kernel would refuse it)",
                        "device a/br: address 224.0.0.5/24: 224.0.0.5 is a multicast address, not an interface"
                                + " address: the kernel would take it but route nothing to its subnet (to receive a"
                                + " group, join it from a socket)",
                        "device a/br: address 239.255.255.255/32: 239.255.255.255 is a multicast address, not an"
                                + " interface address: the kernel would take it but route nothing to its subnet (to"
                                + " receive a group, join it from a socket)",
                        "device a/br: address ff02::5/64: ff02::5 is a multicast address, not an interface address"
                                + " (the kernel would refuse it; to receive a group, join it from a socket)",
                        "device a/br: address 255.255.255.255/32: 255.255.255.255 is the limited broadcast address,"
                                + " not an interface address: the kernel would take it but route nothing to its subnet",
                        "device a/br: address ::1/128: ::1 is the loopback address, which only lo has (the kernel"
                                + " would refuse it)");
        // the addresses next to them are interface addresses
        TopologySpec spec = Topology.create()
                .ns("a")
                .bridge("br")
                .addr("0.0.0.1/8")
                .addr("223.255.255.254/24")
                .addr("240.0.0.1/24")
                .addr("255.255.255.254/31")
                .addr("::2/128")
                .addr("fe80::1/64")
                .spec();
        assertThat(spec.device("a", "br").addresses()).hasSize(6);
    }

    private static String broadcastProblem(String address, String subnet) {
        String a = address.substring(0, address.indexOf('/'));
        return "device a/br: address " + address + ": " + a + " is the broadcast address of " + subnet
                + ", not a host's: the kernel would take it, but the subnet's other hosts would broadcast what they"
                + " send to it (a /31 or /32 has no broadcast address)";
    }

    @Test
    void aSubnetsBroadcastAddressIsRefusedOnADevice() {
        // the kernel takes it, with a local route and a broadcast one for the same address; a gateway there is refused
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .addr("10.77.255.255/16")
                        .addr("10.5.0.255/24")
                        .addr("10.80.0.3/30")
                        .addr("10.255.255.255/8")
                        .addr("10.15.255.255/12")))
                .containsExactly(
                        broadcastProblem("10.77.255.255/16", "10.77.0.0/16"),
                        broadcastProblem("10.5.0.255/24", "10.5.0.0/24"),
                        broadcastProblem("10.80.0.3/30", "10.80.0.0/30"),
                        broadcastProblem("10.255.255.255/8", "10.0.0.0/8"),
                        broadcastProblem("10.15.255.255/12", "10.0.0.0/12"));
        // a /31 (RFC 3021) or /32 has none, the addresses next to a broadcast one are hosts', and IPv6 has no
        // broadcast: its subnet-router anycast address (host bits 0) the kernel takes as an address that works
        TopologySpec spec = Topology.create()
                .ns("a")
                .bridge("br")
                .addr("10.79.0.1/31")
                .addr("10.79.0.3/32")
                .addr("10.77.255.254/16")
                .addr("10.6.0.255/23")
                .addr("10.80.0.6/29")
                .addr("fd00:1::ffff:ffff:ffff:ffff/64")
                .addr("fd00:2::/64")
                .spec();
        assertThat(spec.device("a", "br").addresses()).hasSize(7);
    }

    @Test
    void oneMacTwiceOnALayer2SegmentIsRefused() {
        // both ends of a veth with one MAC get one IPv6 link-local address; a macvlan with its lower device's MAC,
        // or two macvlans with one, do not come up ("Address already in use")
        String mac = "02:00:00:00:00:01";
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("eth0", "b", "eth0")
                        .mac(mac)
                        .ns("b")
                        .dev("eth0")
                        .mac(mac)))
                .containsExactly("device b/eth0: MAC 02:00:00:00:00:01 is also a/eth0's, its veth peer: one layer-2"
                        + " segment needs a MAC address per device");
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("eth0", "sw", "p0")
                        .mac("02:00:00:00:00:02")
                        .ns("b")
                        .veth("eth0", "sw", "p1")
                        .mac("02:00:00:00:00:02")
                        .macvlan("mv0", "eth0")
                        .mac("02:00:00:00:00:02")
                        .ns("sw")
                        .bridge("br")
                        .ports("p0", "p1")))
                .containsExactly(
                        "device b/eth0: MAC 02:00:00:00:00:02 is also a/eth0's, on the same layer-2 segment (joined"
                                + " by veth pairs, bridges and macvlans): one layer-2 segment needs a MAC address per"
                                + " device",
                        "device b/mv0: MAC 02:00:00:00:00:02 is also a/eth0's, on the same layer-2 segment (joined"
                                + " by veth pairs, bridges and macvlans): one layer-2 segment needs a MAC address per"
                                + " device");
        // one MAC on two segments, and a bridge with its own port's MAC (as the kernel gives it by default)
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("eth0", "sw", "p0")
                .mac(mac)
                .veth("eth1", "c", "eth1")
                .mac("02:00:00:00:00:03")
                .ns("c")
                .dev("eth1")
                .mac(mac)
                .ns("sw")
                .bridge("br")
                .ports("p0")
                .mac("02:00:00:00:00:04")
                .dev("p0")
                .mac("02:00:00:00:00:04")
                .spec();
        assertThat(spec.device("c", "eth1").mac()).hasToString(mac);
    }

    @Test
    void oneAddressTwiceOnALayer2SegmentIsRefused() {
        // netvirt adds IPv6 addresses without DAD in its namespaces: the kernel would take both, and traffic
        // go to either; an IPv4 one would be answered for by both (ARP)
        String segment = ": one layer-2 segment needs an address per device (traffic to it would go to either)";
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("eth0", "b", "eth0")
                        .addr("fd00::5/64")
                        .addr("10.0.0.5/24")
                        .ns("b")
                        .dev("eth0")
                        .addr("fd00::5/128")
                        .addr("10.0.0.5/24")))
                .containsExactly(
                        "device b/eth0: address fd00::5 is also on a/eth0, its veth peer" + segment,
                        "device b/eth0: address 10.0.0.5 is also on a/eth0, its veth peer" + segment);
        // two hosts on one bridge, a macvlan on a third host's end, and the bridge itself
        String joined = "on the same layer-2 segment (joined by veth pairs, bridges and macvlans)";
        assertThat(problems(() -> Topology.create()
                        .ns("h1")
                        .veth("eth0", "sw", "p1")
                        .addr("fd00::5/64")
                        .ns("h2")
                        .veth("eth0", "sw", "p2")
                        .addr("fd00::5/64")
                        .ns("h3")
                        .veth("eth0", "sw", "p3")
                        .macvlan("mv0", "eth0")
                        .addr("10.0.0.1/24")
                        .ns("sw")
                        .bridge("br")
                        .ports("p1", "p2", "p3")
                        .addr("10.0.0.1/24")))
                .containsExactly(
                        "device h2/eth0: address fd00::5 is also on h1/eth0, " + joined + segment,
                        "device sw/br: address 10.0.0.1 is also on h3/mv0, " + joined + segment);
        // the same addresses on two separate links are fine
        TopologySpec spec = Topology.create()
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.0.0.1/24")
                .addr("fd00::1/64")
                .ns("b")
                .dev("eth0")
                .addr("10.0.0.2/24")
                .ns("c")
                .veth("eth0", "d", "eth0")
                .addr("10.0.0.1/24")
                .addr("fd00::1/64")
                .ns("d")
                .dev("eth0")
                .addr("10.0.0.2/24")
                .spec();
        assertThat(spec.device("c", "eth0").addresses())
                .extracting(Object::toString)
                .containsExactly("10.0.0.1/24", "fd00::1/64");
    }

    @Test
    void oneAddressTwiceInANamespaceIsReportedOnce() {
        // a bridge and its port in one namespace: one segment, said once
        assertThat(problems(() -> Topology.create()
                        .ns("a")
                        .veth("eth0", "sw", "p0")
                        .ns("sw")
                        .bridge("br")
                        .ports("p0")
                        .addr("10.0.0.1/24")
                        .dev("p0")
                        .addr("10.0.0.1/24")))
                .containsExactly("device sw/br: address 10.0.0.1 is also on sw/p0, on the same layer-2 segment (joined"
                        + " by veth pairs, bridges and macvlans): one layer-2 segment needs an address per device"
                        + " (traffic to it would go to either)");
    }

    @Test
    void allProblemsInOneMessage() {
        assertThatThrownBy(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .bridge("br")
                        .addr("1.2.3.4/40")
                        .apply())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("invalid topology (2 problems)")
                .hasMessageContaining("declared 2 times")
                .hasMessageContaining("1.2.3.4/40");
    }
}
