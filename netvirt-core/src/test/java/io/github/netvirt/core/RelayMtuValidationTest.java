package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.assertReported;
import static io.github.netvirt.core.ValidationTest.problems;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A delay, jitter or loss on a veth pair runs through a relay of two TAP devices where the kernel has
 * no netem: a pair whose MTU (either end) is above a TAP's maximum is refused such a condition before
 * anything changes, whichever kernel validates it; a rate alone (a tbf on each end) is not.
 */
class RelayMtuValidationTest {

    @Test
    void aDelayOnAVethAboveATapsMaximumMtuIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e0")
                        .mtu(65535)
                        .delay(Duration.ofMillis(1))
                        .ns("b")),
                "device a/e0: MTU 65535 is above a tap's maximum 65521: a delay, jitter or loss runs through a"
                        + " relay of two taps where the kernel has no netem, which cannot carry its frames");
    }

    @Test
    void aLossOnAVethWhosePeerIsAboveATapsMaximumMtuIsRefused() {
        assertReported(
                problems(() -> Topology.create()
                        .ns("a")
                        .veth("e0", "b", "e0")
                        .loss(0.1)
                        .ns("b")
                        .dev("e0")
                        .mtu(65522)),
                "device a/e0: its peer b/e0's MTU 65522 is above a tap's maximum 65521");
    }

    @Test
    void aRateAloneOrAnMtuAtTheTapsMaximumPasses() {
        Topology.create()
                .ns("a")
                .veth("e0", "b", "e0")
                .mtu(65535)
                .rate("10mbit")
                .veth("e1", "b", "e1")
                .mtu(65521)
                .delay(Duration.ofMillis(1))
                .ns("b")
                .dev("e1")
                .mtu(65521)
                .spec();
    }
}
