package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change that adds or removes a live bridge's ports moves the bridge's MTU (the kernel gives a bridge
 * its ports' smallest, and one without ports 1500, whatever MTU it was made with), and what sits on it
 * does not follow as a fresh apply of the description gives it (a vxlan keeps its MTU, a macvlan
 * follows down but not up). Such a change is refused before the kernel, as one that changes a live
 * device's MTU is. Failed before (a helper's audit, s44-b): each change was applied, and the vxlan
 * stayed at 1450 where a fresh apply gives 1250, the macvlan at 1300 where it gives 1500, the bridge
 * made with MTU 1300 went to 1500.
 */
@RequiresRoot
class ChangeMovingABridgesMtuTest {
    private final String p = TestNames.unique("cm") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aPortOfASmallerMtuUnderAVxlanIsRefused() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .bridge("br")
                .vxlan("vx", 4242)
                .remote("192.0.2.1")
                .lower("br")
                .apply()) {
            assertThatThrownBy(() -> t.change()
                            .ns("a")
                            .veth("pa", "pb")
                            .mtu(1300)
                            .master("br")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("would move its MTU from 1500 to 1300")
                    .hasMessageContaining("vx on it");
            assertThat(t.link("a", "br").mtu()).isEqualTo(1500);
            assertThat(t.link("a", "vx").mtu()).isEqualTo(1450);

            t.change().ns("a").veth("pa", "pb").master("br").apply(); // MTU 1500: nothing moves
            assertThat(t.link("a", "vx").mtu()).isEqualTo(1450);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void removingThePortOfTheSmallestMtuUnderAMacvlanIsRefused() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .bridge("br")
                .ports("pa")
                .veth("pa", "pb")
                .mtu(1300)
                .macvlan("mv", "br")
                .apply()) {
            assertThatThrownBy(() -> t.change().ns("a").removeDevice("pa").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("would move its MTU from 1300 to 1500");
            assertThat(t.link("a", "pa").mtu()).isEqualTo(1300);
            assertThat(t.link("a", "mv").mtu()).isEqualTo(1300);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void removingTheLastPortOfABridgeMadeWithAnMtuIsRefused() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .bridge("br")
                .mtu(1300)
                .ports("pa")
                .veth("pa", "pb")
                .mtu(1300)
                .apply()) {
            assertThatThrownBy(() -> t.change().ns("a").removeDevice("pa").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("without ports, at MTU 1500");
            assertThat(t.link("a", "br").mtu()).isEqualTo(1300);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
