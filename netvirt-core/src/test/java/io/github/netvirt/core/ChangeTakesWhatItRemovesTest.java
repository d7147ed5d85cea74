package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.MacvlanMode;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change adds before it deletes, so what it adds cannot take what a device it removes holds in the
 * kernel: a vxlan the VNI, UDP port and family of a removed one (EEXIST), a passthru macvlan the lower
 * device of a removed macvlan (EINVAL), a macvlan the MAC of a removed macvlan on its lower device
 * (EADDRINUSE). Like a device or a route removed and declared again in one
 * change, such a change should be refused before the kernel is touched ({@link InvalidTopologyException}),
 * not accepted and failed at its first step ({@link ApplyException}). Failed before: each was accepted
 * and failed at its first step with the kernel's EEXIST, EINVAL, EADDRINUSE (rolled back).
 */
@RequiresRoot
class ChangeTakesWhatItRemovesTest {
    private final String p = TestNames.unique("iF") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aVxlanOnTheVniOfAVxlanTheChangeRemovesIsRefusedBeforeTheKernel() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .vxlan("x1", 500)
                .remote("192.0.2.1")
                .apply()) {
            TopologyBuilder change =
                    t.change().ns("a").removeDevice("x1").vxlan("x2", 500).remote("192.0.2.2");

            assertThatThrownBy(change::apply)
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("which this change removes");
            assertThat(t.spec().device("a", "x1")).isNotNull();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aPassthruMacvlanBesideAMacvlanTheChangeRemovesIsRefusedBeforeTheKernel() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("v", "vp")
                .macvlan("m1", "v")
                .apply()) {
            TopologyBuilder change = t.change().ns("a").removeDevice("m1").macvlan("m2", "v", MacvlanMode.PASSTHRU);

            assertThatThrownBy(change::apply)
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("which this change removes");
            assertThat(t.spec().device("a", "m1")).isNotNull();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aMacvlanWithTheMacOfAMacvlanTheChangeRemovesIsRefusedBeforeTheKernel() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("v", "vp")
                .macvlan("m1", "v")
                .mac("02:00:00:00:00:21")
                .apply()) {
            TopologyBuilder change =
                    t.change().ns("a").removeDevice("m1").macvlan("m2", "v").mac("02:00:00:00:00:21");

            assertThatThrownBy(change::apply)
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("which this change removes");
            assertThat(t.spec().device("a", "m1")).isNotNull();
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
