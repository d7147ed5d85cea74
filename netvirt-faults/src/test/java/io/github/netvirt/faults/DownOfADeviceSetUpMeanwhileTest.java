package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A down that nests in one holding the device down already, after someone set the device up
 * meanwhile (a raw {@code linkUp}; {@code Topology.up()} leaves a device a cut holds down): the kernel
 * deletes the IPv6 addresses (and routes) the device has now, those a change added since the first
 * down included, and the last up gives them back, not only what the first down took.
 */
@RequiresRoot
class DownOfADeviceSetUpMeanwhileTest {
    private final String p = TestNames.unique("iPdu") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Topology topology() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("c0", "b", "d0")
                .addr("10.20.0.1/30")
                .addr("fd20::1/64")
                .ns("b")
                .dev("d0")
                .addr("10.20.0.2/30")
                .addr("fd20::2/64")
                .apply();
    }

    /** An IPv6 address (a route through a device a down holds is refused). */
    private static void addAddress(Topology t) {
        t.change().ns("a").dev("c0").addr("fd77::1/64").apply();
    }

    /** Sets c0 up as someone else would: not through the topology, which leaves a held device down. */
    private static void rawUp(Topology t) {
        t.netlink("a").linkUp(t.link("a", "c0").index());
    }

    private void assertDeclared() {
        assertThat(Ip.ok("-n", p + "a", "-6", "addr", "show", "dev", "c0"))
                .contains("inet6 fd20::1/64", "inet6 fd77::1/64");
    }

    @Test
    void aTopologyDownSharingACutsNoteAfterAnUpKeepsWhatAChangeAddedMeanwhile() {
        try (Topology t = topology()) {
            LinkCut cut = LinkCut.cut(t.namespace("a"), "c0");
            rawUp(t); // only the cut holds it: set up all the same
            addAddress(t);
            t.down("a", "c0");
            t.up("a", "c0");
            cut.heal();
            assertDeclared();
        }
    }

    @Test
    void aSecondCutAfterAnUpKeepsWhatAChangeAddedMeanwhile() {
        try (Topology t = topology()) {
            LinkCut first = LinkCut.cut(t.namespace("a"), "c0");
            rawUp(t);
            addAddress(t);
            LinkCut second = LinkCut.cut(t.namespace("a"), "c0");
            first.heal();
            second.heal();
            assertDeclared();
        }
    }

    @Test
    void aSecondTopologyDownAfterARawUpKeepsWhatAChangeAddedMeanwhile() {
        try (Topology t = topology()) {
            t.down("a", "c0");
            rawUp(t);
            addAddress(t);
            t.down("a", "c0");
            t.up("a", "c0");
            assertDeclared();
        }
    }
}
