package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.MacvlanMode;
import org.junit.jupiter.api.Test;

/**
 * A change's problem names the declaration the change adds, not the live device it clashes with,
 * whichever the description lists first ({@link TopologyBuilder#base} set as a change has it).
 */
class ChangeNamesWhatItAddsTest {

    /** {@code b} as a change of what it describes would begin. */
    private static TopologyBuilder live(TopologyBuilder b) {
        b.base = b.spec();
        return b;
    }

    @Test
    void anAddressAddedThatTheVethPeerHasNamesTheDeviceItIsAddedTo() {
        assertThat(problems(() -> live(Topology.create()
                                .ns("b")
                                .ns("a")
                                .veth("e0", "b", "e0")
                                .addr("10.0.0.1/24"))
                        .ns("b")
                        .dev("e0")
                        .addr("10.0.0.1/24")))
                .containsExactly("device b/e0: address 10.0.0.1 is also on a/e0, its veth peer: one layer-2 segment"
                        + " needs an address per device (traffic to it would go to either)");
    }

    @Test
    void anAddressAddedThatAnotherDeviceOfTheSegmentInTheNamespaceHasNamesTheDeviceItIsAddedTo() {
        assertThat(problems(() -> live(Topology.create()
                                .ns("a")
                                .tap("e1")
                                .bridge("e0")
                                .addr("10.0.0.1/24")
                                .ports("e1"))
                        .ns("a")
                        .dev("e1")
                        .addr("10.0.0.1/24")))
                .singleElement()
                .asString()
                .startsWith("device a/e1: address 10.0.0.1 is also on a/e0, ");
    }

    @Test
    void aMacvlanAddedBesideALivePassthruOneIsTheOneNamed() {
        assertThat(problems(() -> live(Topology.create()
                                .ns("b")
                                .ns("a")
                                .veth("e0", "b", "e0")
                                .macvlan("m1", "e0", MacvlanMode.PASSTHRU))
                        .ns("a")
                        .macvlan("m2", "e0")))
                .containsExactly("device a/m2: its lower device e0 has passthru macvlan m1, which takes no other"
                        + " macvlan beside it (the kernel would refuse m2: EINVAL)");
    }

    @Test
    void aMacAddedThatALiveDeviceHasNamesTheNewDevice() {
        assertThat(problems(() -> live(Topology.create()
                                .ns("b")
                                .ns("a")
                                .veth("e0", "b", "e0")
                                .mac("02:00:00:00:01:01"))
                        .ns("b")
                        .macvlan("mv", "e0")
                        .mac("02:00:00:00:01:01")))
                .containsExactly("device b/mv: MAC 02:00:00:00:01:01 is also a/e0's, on the same layer-2 segment"
                        + " (joined by veth pairs, bridges and macvlans): one layer-2 segment needs a MAC address per"
                        + " device");
    }
}
