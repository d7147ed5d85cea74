package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.DownedLink;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the kernel would refuse half-way is refused by validation, before anything is made. */
@RequiresRoot
class RefusedBeforeTheKernelTest {
    private final String p = TestNames.unique("rc") + "-";
    private final String fv = TestNames.unique("fv") + "-";

    @RegisterExtension
    final DeleteNetnsAfter fvCleanup = DeleteNetnsAfter.prefixed(fv);

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aGatewayOnlyOnTheSubnetOfADownDeviceIsRefused() {
        // the kernel has no route to a down device's subnet: "Nexthop has invalid gateway"
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("rc0", "b", "rc1")
                .addr("10.77.0.1/24")
                .down()
                .route("10.78.0.0/16", "10.77.0.2")
                .ns("b");
        assertThatThrownBy(b::apply)
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("route(\"10.78.0.0/16\", \"10.77.0.2\")")
                .hasMessageContaining("rc0");
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aRouteThroughADeviceSetDownByDownIsRefusedBeforeTheKernel() throws Exception {
        // before: the change passed validation and the kernel refused its route half-way, "Nexthop has invalid
        // gateway" (with a device or onlink: "Nexthop device is not up"), and it was rolled back
        try (Topology t = Topology.create()
                .ephemeral()
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.77.0.1/16")
                .route("10.150.0.0/16", "10.77.0.2")
                .ns("b")
                .dev("eth0")
                .addr("10.77.0.2/16")
                .apply()) {
            t.down("a", "eth0");
            String routes = t.namespace("a")
                    .exec("ip", "-j", "route", "show", "table", "all")
                    .stdout();
            for (String[] route :
                    new String[][] {{"10.151.0.0/16", "10.77.0.2", null}, {"10.152.0.0/16", null, "eth0"}}) {
                assertThatThrownBy(() -> t.change()
                                .ns("a")
                                .route(route[0], route[1], route[2])
                                .apply())
                        .isInstanceOf(InvalidTopologyException.class)
                        .hasMessageContaining("device eth0 is down: Topology.down(\"a\", \"eth0\") set it down;"
                                + " up() it first (the kernel would refuse the route)");
            }
            assertThat(t.namespace("a")
                            .exec("ip", "-j", "route", "show", "table", "all")
                            .stdout())
                    .isEqualTo(routes);
            // a change that adds no route through it goes on; its own routes stay the topology's
            t.change().ns("b").dev("eth0").addr("10.77.0.3/16").apply();
            t.up("a", "eth0");
            // a down of another kind (netvirt-faults' LinkCut is one) nests with the topology's: the same refusal
            DownedLink cut = DownedLink.setDown(t.netlink("a"), t.link("a", "eth0"));
            try {
                assertThatThrownBy(() -> t.change()
                                .ns("a")
                                .route("10.151.0.0/16", "10.77.0.2")
                                .apply())
                        .isInstanceOf(InvalidTopologyException.class)
                        .hasMessageContaining("gateway 10.77.0.2 is only on a subnet of eth0, and device eth0 is down:"
                                + " a down of this JVM other than Topology.down() holds it down");
                assertThat(t.namespace("a")
                                .exec("ip", "-j", "route", "show", "table", "all")
                                .stdout())
                        .isEqualTo(routes);
            } finally {
                cut.setUp(t.netlink("a"));
            }
            t.change().ns("a").route("10.151.0.0/16", "10.77.0.2").apply();
            assertThat(t.namespace("a")
                            .exec("ip", "-j", "route", "show", "10.151.0.0/16")
                            .stdout())
                    .contains("\"gateway\":\"10.77.0.2\"");
        }
    }

    @Test
    void aSubnetsBroadcastAddressOnADeviceIsRefusedInApplyAndChange() throws Exception {
        // before: the kernel took it, with a local and a broadcast route for it, and both were made
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("rc0", "b", "rc1")
                .addr("10.77.255.255/16")
                .ns("b");
        assertThatThrownBy(b::apply)
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("device a/rc0: address 10.77.255.255/16: 10.77.255.255 is the broadcast address"
                        + " of 10.77.0.0/16");
        assertThat(Reference.namespaces(p)).isEmpty();
        try (Topology t = Topology.create()
                .ephemeral()
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.77.0.1/16")
                .ns("b")
                .apply()) {
            // without DAD's tentative flags, which the kernel clears 1-2 s after the apply
            String addresses =
                    t.namespace("b").exec("ip", "-j", "addr").stdout().replace("\"tentative\":true,", "");
            assertThatThrownBy(() -> t.change()
                            .ns("b")
                            .dev("eth0")
                            .addr("10.77.255.255/16")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("10.77.255.255 is the broadcast address of 10.77.0.0/16");
            assertThat(t.namespace("b").exec("ip", "-j", "addr").stdout().replace("\"tentative\":true,", ""))
                    .isEqualTo(addresses);
            // a /31 has no broadcast address (RFC 3021): both of its addresses are hosts'
            t.change().ns("b").dev("eth0").addr("10.79.0.1/31").apply();
            assertThat(t.namespace("b").exec("ip", "-j", "addr").stdout()).contains("\"local\":\"10.79.0.1\"");
        }
    }

    @Test
    void whatFailedAtApplyWithABareErrnoIsRefusedFirstAllTogether() {
        // before: apply failed at its first LINK_ADD of these, with EINVAL (the name), EBUSY (the macvlan) or
        // EEXIST (the VNI), or took 0.0.0.0/0 and added nothing
        TopologyBuilder b = Topology.create()
                .prefix(fv)
                .ns("a")
                .veth("all", "b", "default")
                .veth("eth0", "b", "eth0")
                .mac("02:00:00:00:00:01")
                .bridge("br")
                .ports("eth0")
                .macvlan("mv0", "eth0")
                .vxlan("vx0", 4242)
                .remote("10.61.2.2")
                .vxlan("vx1", 4242)
                .remote("10.61.2.3")
                .bridge("br1")
                .addr("0.0.0.0/0")
                .addr("224.0.0.5/24")
                .addr("10.70.0.1 /24")
                .ns("b")
                .dev("eth0")
                .mac("02:00:00:00:00:01");
        assertThatThrownBy(b::apply)
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("invalid topology (8 problems)")
                .hasMessageContaining("device a/all: not an interface name: 'all' and 'default' are reserved")
                .hasMessageContaining("device b/default: not an interface name")
                .hasMessageContaining("device a/mv0: lower device eth0 is a port of bridge br")
                .hasMessageContaining("device a/vx1: VNI 4242 on UDP port 4789 (IPv4) is vx0's already")
                .hasMessageContaining("device a/br1: address 0.0.0.0/0: 0.0.0.0 is the unspecified address")
                .hasMessageContaining("device a/br1: address 224.0.0.5/24: 224.0.0.5 is a multicast address")
                .hasMessageContaining("addr(\"10.70.0.1 /24\"): malformed address")
                .hasMessageContaining("device b/eth0: MAC 02:00:00:00:00:01 is also a/eth0's, its veth peer");
        assertThat(Reference.namespaces(fv)).isEmpty();
    }

    @Test
    void theKernelTakesWhatTheseRulesLeave() {
        // the same VNI on another port or in another family, a macvlan on the bridge rather than on its port,
        // one MAC on two segments, "ALL" as a name: the rules are no wider than the kernel's
        try (Topology t = Topology.create()
                .prefix(fv)
                .ns("a")
                .veth("ALL", "b", "Default")
                .veth("eth0", "b", "eth0")
                .mac("02:00:00:00:00:01")
                .bridge("br")
                .ports("eth0")
                .macvlan("mv0", "br")
                .vxlan("vx0", 4242)
                .remote("10.61.2.2")
                .vxlan("vx1", 4242)
                .remote("10.61.2.2")
                .dstPort(4790)
                .vxlan("vx2", 4242)
                .remote("fd61::2")
                .ns("b")
                .dev("Default")
                .mac("02:00:00:00:00:01")
                .apply()) {
            String a = Ip.ok("-n", fv + "a", "-d", "-j", "link");
            assertThat(a).contains("\"ifname\":\"ALL\"", "\"ifname\":\"mv0\"", "\"ifname\":\"vx2\"");
            assertThat(Ip.ok("-n", fv + "a", "-d", "-br", "link", "show", "type", "vxlan"))
                    .contains("vx0", "vx1", "vx2");
            assertThat(Ip.ok("-n", fv + "a", "-d", "link", "show", "vx1")).contains("id 4242", "dstport 4790");
            assertThat(Ip.ok("-n", fv + "a", "-d", "link", "show", "mv0")).contains("mv0@br", "macvlan");
            assertThat(Ip.ok("-n", fv + "b", "link", "show", "Default")).contains("02:00:00:00:00:01");
        }
        assertThat(Reference.namespaces(fv)).isEmpty();
    }
}
