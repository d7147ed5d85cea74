package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A macvlan or vxlan is made on its lower device once that device's declared MTU and MAC are in
 * force (a tap gets them after it is opened, a bridge its MTU as its ports join): the MTU and MAC
 * the kernel reports are the declared ones, or the defaults the DSL promises from the lower
 * device's, at apply and at change.
 */
@RequiresRoot
class StackedDeviceTest {
    private final String p = TestNames.unique("ff") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private static final Pattern MTU = Pattern.compile("\"mtu\":(\\d+)");
    private static final Pattern MAC = Pattern.compile("\"address\":\"([0-9a-f:]+)\"");

    private static String show(String ns, String dev) {
        return Ip.ok("-n", ns, "-j", "link", "show", "dev", dev);
    }

    private static int mtu(String ns, String dev) {
        Matcher m = MTU.matcher(show(ns, dev));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String mac(String ns, String dev) {
        Matcher m = MAC.matcher(show(ns, dev));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Taps with their MTUs and MACs, and what sits on them, in namespace {@code a} of {@code b}. */
    private static TopologyBuilder onTaps(TopologyBuilder b) {
        return b.ns("a")
                .tap("t0")
                .mtu(9000)
                .macvlan("m0", "t0")
                .mtu(9000)
                .macvlan("m1", "t0")
                .vxlan("v0", 5)
                .remote("10.0.0.2")
                .lower("t0")
                .mtu(8950)
                .tap("t1")
                .mtu(1400)
                .vxlan("v1", 6)
                .remote("10.0.0.2")
                .lower("t1")
                .tap("t2")
                .mtu(1400)
                .mac("02:00:00:00:00:21")
                .macvlan("pt", "t2", MacvlanMode.PASSTHRU)
                .tap("t3")
                .mtu(1400)
                .bridge("br")
                .ports("t3")
                .vxlan("v2", 7)
                .remote("10.0.0.2")
                .lower("br");
    }

    private void assertStackedAttributes() {
        String a = p + "a";
        assertThat(mtu(a, "t0")).isEqualTo(9000);
        assertThat(mtu(a, "m0")).as("declared").isEqualTo(9000);
        assertThat(mtu(a, "m1")).as("a macvlan's lower device's").isEqualTo(9000);
        assertThat(mtu(a, "v0")).as("declared").isEqualTo(8950);
        assertThat(mtu(a, "v1")).as("a vxlan's lower device's less 50").isEqualTo(1350);
        assertThat(mtu(a, "pt")).as("a macvlan's lower device's").isEqualTo(1400);
        assertThat(mac(a, "t2")).isEqualTo("02:00:00:00:00:21");
        assertThat(mac(a, "pt")).as("a passthru macvlan's lower device's").isEqualTo("02:00:00:00:00:21");
        assertThat(mtu(a, "br")).as("its port's").isEqualTo(1400);
        assertThat(mtu(a, "v2")).as("a vxlan on a bridge: the bridge's less 50").isEqualTo(1350);
    }

    @Test
    void devicesOnTapsAndBridgesGetTheirLowerDevicesDeclaredMtuAndMacAtApply() {
        try (Topology t = onTaps(Topology.create().prefix(p)).apply()) {
            assertStackedAttributes();
            assertThat(t.link("a", "v1").mtu()).isEqualTo(1350);
        }
    }

    @Test
    void devicesOnTapsAndBridgesGetTheirLowerDevicesDeclaredMtuAndMacAtChange() {
        try (Topology t = Topology.create().prefix(p).ns("a").apply()) {
            onTaps(t.change()).apply();
            assertStackedAttributes();
        }
    }

    @Test
    void aPassthruMacvlanHasItsLowerDevicesMacWhateverItIsGivenSoTheDslRefusesOne() {
        String k = p + "k";
        Ip.ok("netns", "add", k);
        Ip.ok("-n", k, "link", "add", "e0", "address", "02:00:00:00:00:01", "type", "veth", "peer", "name", "e1");
        Ip.ok(
                "-n",
                k,
                "link",
                "add",
                "pt",
                "link",
                "e0",
                "address",
                "02:00:00:00:00:0e",
                "type",
                "macvlan",
                "mode",
                "passthru");
        assertThat(mac(k, "pt")).isEqualTo("02:00:00:00:00:01");
        // setting one later sets the lower device's, which the macvlan follows
        Ip.ok("-n", k, "link", "set", "dev", "pt", "address", "02:00:00:00:00:0f");
        assertThat(mac(k, "e0")).isEqualTo("02:00:00:00:00:0f");
        assertThat(mac(k, "pt")).isEqualTo("02:00:00:00:00:0f");
        Ip.ok("netns", "del", k);

        String n = p + "n-";
        assertThat(ValidationTest.problems(() -> Topology.create()
                        .prefix(n)
                        .ns("b")
                        .ns("a")
                        .veth("e0", "b", "e0")
                        .macvlan("pt", "e0", MacvlanMode.PASSTHRU)
                        .mac("02:00:00:00:00:0e")))
                .singleElement()
                .asString()
                .startsWith("device a/pt: a passthru macvlan has its lower device e0's MAC address");
        assertThat(Reference.namespaces(n)).isEmpty();
    }
}
