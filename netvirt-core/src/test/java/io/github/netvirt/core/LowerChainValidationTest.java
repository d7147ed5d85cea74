package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.assertReported;
import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A macvlan's or vxlan's lower devices, followed down: a bridge below the device is not its master
 * (the kernel would refuse the port: EBUSY), and no device is below itself (a cycle: the kernel would
 * find no lower device, ENODEV). Refused before anything changes.
 */
class LowerChainValidationTest {

    @Test
    void aMacvlanOnTheBridgeItIsAPortOfIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .macvlan("m0", "br")
                        .master("br")),
                "device a/m0: master br is below it (m0 is on br): a device cannot be a port of a bridge it"
                        + " sits on (the kernel would refuse it: EBUSY)");
    }

    @Test
    void aMacvlanOnAMacvlanOnTheBridgeItIsAPortOfIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .macvlan("m0", "br")
                        .macvlan("m1", "m0")
                        .master("br")),
                "device a/m1: master br is below it (m1 is on m0, on br)");
    }

    @Test
    void aVxlanOverTheBridgeItIsAPortOfIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .bridge("br")
                        .vxlan("vx", 3)
                        .remote("10.0.0.2")
                        .lower("br")
                        .master("br")),
                "device a/vx: master br is below it (vx is on br)");
    }

    @Test
    void aVxlanOverOneBridgeIsAPortOfAnother() {
        Topology.create()
                .ns("a")
                .bridge("br0")
                .bridge("br1")
                .vxlan("vx", 3)
                .remote("10.0.0.2")
                .lower("br0")
                .master("br1")
                .macvlan("m0", "br0")
                .spec();
    }

    @Test
    void twoMacvlansOnEachOtherAreRefusedOnce() {
        List<String> problems =
                problems(() -> Topology.create().ns("a").macvlan("m0", "m1").macvlan("m1", "m0"));
        assertReported(
                problems,
                "device a/m0: its lower devices make a cycle (m0 is on m1, on m0): the kernel would find no lower"
                        + " device (ENODEV)");
        assertThat(problems).filteredOn(p -> p.contains("cycle")).hasSize(1);
    }

    @Test
    void twoVxlansOverEachOtherAreRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .vxlan("vx0", 1)
                        .remote("10.0.0.2")
                        .lower("vx1")
                        .vxlan("vx1", 2)
                        .remote("10.0.0.3")
                        .lower("vx0")),
                "device a/vx0: its lower devices make a cycle (vx0 is on vx1, on vx0)");
    }
}
