package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What removeDevice(...) says of a device the description took out already. */
class RemovalValidationTest {

    private static TopologyBuilder hz() {
        return Topology.create().ns("h").ns("z").veth("e0", "h", "z0");
    }

    /** As in a change of the live topology hz() builds. */
    private static TopologyBuilder change() {
        TopologyBuilder b = hz();
        b.base = b.spec();
        return b;
    }

    @Test
    void theOtherEndOfAVethOfARemovedNamespaceIsNamedAsRemovedWithIt() {
        for (TopologyBuilder b : new TopologyBuilder[] {hz(), change()}) {
            assertThat(problems(() -> b.removeNamespace("z").ns("h").removeDevice("z0")))
                    .containsExactly("removeDevice(\"z0\") in namespace h: removeNamespace(\"z\") removed it already,"
                            + " the other end of veth z/e0");
        }
    }

    @Test
    void aDeviceRemovedTwiceAndTheOtherEndOfARemovedVethAreNamedAsRemoved() {
        assertThat(problems(() -> hz().ns("z").removeDevice("e0").removeDevice("e0")))
                .containsExactly("removeDevice(\"e0\") in namespace z: removeDevice(\"e0\") in namespace z removed it"
                        + " already");
        assertThat(problems(() -> change().ns("z").removeDevice("e0").ns("h").removeDevice("z0")))
                .containsExactly("removeDevice(\"z0\") in namespace h: removeDevice(\"e0\") in namespace z removed it"
                        + " already, the other end of veth z/e0");
    }

    @Test
    void aDeviceNeverDeclaredIsStillNoSuchDevice() {
        assertThat(problems(() -> hz().ns("h").removeDevice("nope")))
                .containsExactly("removeDevice(\"nope\") in namespace h: there is no such device");
    }
}
