package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.MacvlanMode;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.TapDevice;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change that removes a device (or a namespace) and declares one by the same name again: the
 * kernel would have to delete the old one before it makes the new one, which a failure could not
 * undo, so it is refused before the kernel is touched; two changes re-make it.
 */
@RequiresRoot
class LiveReplaceTest {
    /** This test's prefix; what is left under it is deleted after the test. */
    private final String p = TestNames.unique("lc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** {@code ip -j -d link show dev DEV} in namespace {@code ns}: the kernel's word on the device. */
    private String link(String ns, String dev) {
        return Ip.ok("-n", p + ns, "-j", "-d", "link", "show", "dev", dev);
    }

    private String addresses(String ns, String dev) {
        return Ip.ok("-n", p + ns, "-j", "addr", "show", "dev", dev);
    }

    private void refused(Topology t, UnaryOperator<TopologyBuilder> change, String message) {
        String before = kernelState();
        assertThatThrownBy(() -> change.apply(t.change()).apply())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining(message);
        assertThatThrownBy(() -> change.apply(t.change()).plan())
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining(message);
        assertThat(kernelState()).as("nothing changed").isEqualTo(before);
    }

    /**
     * The test's namespaces with their links and addresses, as {@code ip -j} lists them at once
     * (StateDump waits for a settled state, which a tap without carrier never reaches: its IPv6
     * link-local stays tentative; a refusal changes nothing, so nothing needs to settle). Without the
     * {@code tentative} flags: in an IPv4-only topology the kernel's DAD of the link-local addresses
     * ends 1-2 s after the apply, between two readings on a loaded machine.
     */
    private String kernelState() {
        StringBuilder sb = new StringBuilder();
        for (String line : Ip.ok("netns", "list").split("\n")) {
            String ns = line.split(" ")[0];
            if (ns.startsWith(p)) { // only the test's: other tests may run beside it
                sb.append(ns)
                        .append(Ip.ok("-n", ns, "-j", "link", "show"))
                        .append(Ip.ok("-n", ns, "-j", "addr", "show").replace("\"tentative\":true,", ""));
            }
        }
        return sb.toString();
    }

    @Test
    void aTapRemovedAndDeclaredAgainInOneChangeIsRefusedAndTwoChangesRemakeIt() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .tap("t0")
                .ns("b")
                .bridge("br")
                .apply()) {
            TapDevice old = t.tap("a", "t0");
            String oldLink = link("a", "t0");
            assertThat(addresses("a", "t0")).contains("fe80::");

            // reproducer: the same tap again was a plan of 0 steps (the old tap stayed, open), the
            // tap again with other options was refused as a change of a device that is there
            refused(
                    t,
                    c -> c.ns("a").removeDevice("t0").tap("t0"),
                    "device a/t0: removed and declared again in one change");
            refused(t, c -> c.ns("a").removeDevice("t0").tap("t0").quiet(), "device a/t0: removed and declared again");
            refused(
                    t,
                    c -> c.ns("a").removeDevice("t0").tap("t0").mtu(1400).addr("10.9.0.1/24"),
                    "device a/t0: removed and declared again");
            refused(t, c -> c.ns("a").removeDevice("t0").bridge("t0"), "device a/t0: removed and declared again");
            assertThat(old.isOpen()).isTrue();
            assertThat(link("a", "t0")).isEqualTo(oldLink);

            // in two changes: deleted, then made again with other options
            t.change().ns("a").removeDevice("t0").apply();
            assertThat(old.isOpen()).isFalse();
            assertThat(Ip.run("-n", p + "a", "link", "show", "dev", "t0").exitCode())
                    .isNotZero();
            t.change().ns("a").tap("t0").quiet().mtu(1400).apply();
            assertThat(t.tap("a", "t0")).isNotSameAs(old);
            assertThat(t.tap("a", "t0").isOpen()).isTrue();
            assertThat(link("a", "t0")).contains("\"mtu\":1400").contains("\"info_kind\":\"tun\"");
            assertThat(addresses("a", "t0"))
                    .as("quiet: IPv6 off, no link-local address")
                    .doesNotContain("fe80::");

            // moved to another namespace under the same name: a different device, made in one change
            t.change().ns("a").removeDevice("t0").ns("b").tap("t0").apply();
            assertThat(Ip.run("-n", p + "a", "link", "show", "dev", "t0").exitCode())
                    .isNotZero();
            assertThat(link("b", "t0")).contains("\"info_kind\":\"tun\"");
            assertThat(t.tap("b", "t0").isOpen()).isTrue();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void otherKindsRemovedAndDeclaredAgainInOneChangeAreRefused() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("v0", "b", "v1")
                .bridge("br")
                .macvlan("m0", "br")
                .vxlan("x0", 10)
                .remote("10.9.9.9")
                .ns("b")
                .ns("c")
                .bridge("x")
                .apply()) {
            refused(
                    t,
                    c -> c.ns("a").removeDevice("v0").veth("v0", "c", "v1"),
                    "device a/v0: removed and declared again");
            refused(
                    t,
                    c -> c.ns("a").removeDevice("v0").veth("v0", "b", "v1"),
                    "device a/v0: removed and declared again");
            refused(
                    t,
                    c -> c.ns("a").removeDevice("v0").ns("b").veth("v1", "a", "v9"),
                    "device b/v1: removed and declared again");
            refused(
                    t,
                    c -> c.ns("a").removeDevice("m0").macvlan("m0", "br", MacvlanMode.PRIVATE),
                    "device a/m0: removed and declared again");
            refused(
                    t,
                    c -> c.ns("a").removeDevice("x0").vxlan("x0", 11).remote("10.9.9.9"),
                    "device a/x0: removed and declared again");
            // a device the change itself added may be taken out and declared again: it is not there yet
            t.change().ns("c").tap("t9").removeDevice("t9").bridge("t9").apply();
            assertThat(link("c", "t9")).contains("\"info_kind\":\"bridge\"");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aNamespaceRemovedAndDeclaredAgainInOneChangeIsRefused() {
        try (Topology t =
                Topology.create().prefix(p).ns("a").tap("t0").bridge("br").apply()) {
            // reproducer: a plan of 0 steps; the namespace and its devices stayed as they were
            refused(
                    t,
                    c -> c.removeNamespace("a").ns("a").tap("t0").bridge("br"),
                    "namespace a: removed and declared again in one change");
            refused(t, c -> c.removeNamespace("a").ns("a").bridge("other"), "namespace a: removed and declared again");
            t.change().removeNamespace("a").ns("z").bridge("br").apply();
            assertThat(Reference.namespaces(p)).containsExactly(p + "z");
            t.change().ns("a").tap("t0").apply();
            assertThat(Reference.namespaces(p)).containsExactly(p + "a", p + "z");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
