package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.MacvlanMode;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MTUs this kernel lowers (a vxlan's above its lower device's less the encapsulation, a bridge's
 * other than its ports' smallest) or refuses with a bare EINVAL (a macvlan's above its lower
 * device's, a passthru macvlan beside another), measured with iproute2, are refused by validation,
 * at apply and at change, before anything is made.
 */
@RequiresRoot
class MtuRefusedBeforeTheKernelTest {
    private final String p = TestNames.unique("mv") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private static final Pattern MTU = Pattern.compile("\"mtu\":(\\d+)");

    private int mtu(String ns, String dev) {
        Matcher m = MTU.matcher(Ip.ok("-n", ns, "-j", "link", "show", dev));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theKernelLowersOrRefusesWhatValidationRefuses() {
        String k = p + "k";
        Ip.ok("netns", "add", k);
        Ip.ok("-n", k, "link", "add", "up0", "type", "veth", "peer", "name", "up1");
        Ip.ok(
                "-n",
                k,
                "link",
                "add",
                "vx",
                "mtu",
                "1550",
                "type",
                "vxlan",
                "id",
                "1",
                "remote",
                "192.168.9.2",
                "dstport",
                "4789",
                "dev",
                "up0");
        Ip.ok(
                "-n", k, "link", "add", "vx6", "mtu", "1550", "type", "vxlan", "id", "1", "remote", "fd00::2",
                "dstport", "4789", "dev", "up0");
        Ip.ok("-n", k, "link", "add", "name", "br", "mtu", "9000", "type", "bridge");
        Ip.ok("-n", k, "link", "set", "dev", "up1", "master", "br");
        assertThat(mtu(k, "vx")).isEqualTo(1450);
        assertThat(mtu(k, "vx6")).isEqualTo(1430);
        assertThat(mtu(k, "br")).isEqualTo(1500);
        Ip.Result macvlan = Ip.run("-n", k, "link", "add", "mv", "mtu", "9000", "link", "up0", "type", "macvlan");
        assertThat(macvlan.exitCode()).isNotZero();
        assertThat(macvlan.err()).contains("Invalid argument");
        Ip.ok("-n", k, "link", "add", "mv1", "link", "up0", "type", "macvlan", "mode", "bridge");
        Ip.Result passthru =
                Ip.run("-n", k, "link", "add", "mv2", "link", "up0", "type", "macvlan", "mode", "passthru");
        assertThat(passthru.exitCode()).isNotZero();
        assertThat(passthru.err()).contains("Invalid argument");
        Ip.ok("netns", "del", k);

        String n = p + "n-";
        TopologyBuilder b = Topology.create()
                .prefix(n)
                .ns("a")
                .veth("up0", "b", "up0")
                .vxlan("vx", 1)
                .remote("192.168.9.2")
                .lower("up0")
                .mtu(1550)
                .vxlan("vx6", 1)
                .remote("fd00::2")
                .lower("up0")
                .mtu(1550)
                .macvlan("mv", "up0")
                .mtu(9000)
                .macvlan("mv2", "up0", MacvlanMode.PASSTHRU)
                .ns("b")
                .veth("up1", "c", "up1")
                .bridge("br")
                .mtu(9000)
                .ports("up0", "up1")
                .ns("c");
        assertThatThrownBy(b::apply)
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("invalid topology (5 problems)")
                .hasMessageContaining("device a/vx: MTU 1550 is above the most a vxlan over up0 (MTU 1500) takes: 1450")
                .hasMessageContaining(
                        "device a/vx6: MTU 1550 is above the most a vxlan over up0 (MTU 1500) takes: 1430")
                .hasMessageContaining("device a/mv: MTU 9000 is above its lower device up0's MTU 1500")
                .hasMessageContaining("device a/mv2: a passthru macvlan is the only macvlan on its lower device up0")
                .hasMessageContaining("device b/br: MTU 9000 is not its ports' smallest MTU, 1500");
        assertThat(Reference.namespaces(n)).isEmpty();
    }

    @Test
    void aChangeIsRefusedBeforeAnythingChanges() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("up0", "b", "up0")
                .macvlan("mv1", "up0")
                .ns("b")
                .bridge("br")
                .mtu(1500)
                .ports("up0")
                .apply()) {
            String before = Reference.stateDump(p);
            TopologyBuilder c = t.change()
                    .ns("a")
                    .vxlan("vx", 1)
                    .remote("192.168.9.2")
                    .lower("up0")
                    .mtu(1451)
                    .macvlan("mv2", "up0", MacvlanMode.PASSTHRU)
                    .ns("b")
                    .veth("p9", "c", "p9")
                    .mtu(9000)
                    .dev("br")
                    .ports("p9")
                    .ns("c")
                    .dev("p9")
                    .mtu(9000);
            // the bridge's ports: up0 (1500) and p9 (9000), the bridge's 1500 stays right; a 9000 one would not
            assertThatThrownBy(c::apply)
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("invalid topology (2 problems)")
                    .hasMessageContaining("device a/vx: MTU 1451 is above the most a vxlan over up0 (MTU 1500)")
                    .hasMessageContaining("device a/mv2: a passthru macvlan is the only macvlan on its lower device"
                            + " up0, which mv1 is on too");
            assertThat(Reference.stateDump(p)).isEqualTo(before);
        }
    }
}
