package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A change declaring a MAC address that a live device of its layer-2 segment has (one the kernel
 * chose) is refused at validation, as apply() refuses two declared ones, not by the kernel
 * (EADDRINUSE for a macvlan with its lower device's MAC).
 */
@RequiresRoot
class ChangeLiveMacTest {

    @Test
    void aMacvlanWithALiveDevicesMacOnItsSegmentIsRefusedBeforeTheKernel() {
        try (Topology t = LinkConditionTest.pair().apply()) {
            String lowerMac = t.link("b", "eth0").macAddress().orElseThrow().toString();
            String peerMac = t.link("a", "eth0").macAddress().orElseThrow().toString();
            TopologySpec spec = t.spec();
            List<String> before = LinkConditionTest.names(t, "b");
            String segment = ", on the same layer-2 segment (joined by veth pairs, bridges and macvlans): one layer-2"
                    + " segment needs a MAC address per device";
            assertThatThrownBy(() -> t.change()
                            .ns("b")
                            .macvlan("mv", "eth0")
                            .mac(lowerMac)
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining(
                            "device b/mv: MAC " + lowerMac + " is also b/eth0's (as the kernel lists it)" + segment);
            assertThatThrownBy(() -> t.change()
                            .ns("b")
                            .macvlan("mv", "eth0")
                            .mac(peerMac)
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining(
                            "device b/mv: MAC " + peerMac + " is also a/eth0's (as the kernel lists it)" + segment);
            assertThat(LinkConditionTest.names(t, "b")).isEqualTo(before);
            assertThat(t.spec()).isEqualTo(spec);
            // another MAC is the change's to make
            t.change().ns("b").macvlan("mv", "eth0").mac("02:00:00:00:0f:01").apply();
            assertThat(t.link("b", "mv").macAddress().orElseThrow().toString()).isEqualTo("02:00:00:00:0f:01");
        }
    }
}
