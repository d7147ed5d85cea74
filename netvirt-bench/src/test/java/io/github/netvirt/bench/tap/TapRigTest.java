package io.github.netvirt.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/** The rig's bridge must forward the measured frames as known unicast however long the workload runs. */
class TapRigTest {
    @Test
    @RequiresRoot
    void teachKeepsTheMeasuredFramesKnownUnicastAfterTheBridgeForgotTheReceiversMac() throws Exception {
        try (TapRig rig = new TapRig();
                RawTapPair raw = new RawTapPair(rig)) {
            // the kernel's 300 s, shortened: MAC_B only sent the set-up's frame, MAC_A keeps sending
            assertThat(rig.ns
                            .exec("ip", "link", "set", "pbtapbr", "type", "bridge", "ageing_time", "100")
                            .exitCode())
                    .isZero();
            FramePath p = FramePath.streams(rig.tap0, rig.tap1, 64, TapRig.MAC_B, TapRig.MAC_A);
            long end = System.nanoTime() + 3_000_000_000L;
            int flooded = 0;
            while (flooded == 0 && System.nanoTime() < end) {
                Thread.sleep(250);
                raw.drain();
                p.write(1);
                Thread.sleep(20);
                flooded = raw.drain(); // a frame to a forgotten MAC goes to every port: pbtap2, pbtap3
            }
            assertThat(flooded)
                    .as("frames to MAC_B flooded once the bridge forgot it")
                    .isPositive();

            rig.teach();
            Thread.sleep(20);
            raw.drain();
            for (int i = 0; i < 10; i++) {
                p.write(2 + i);
            }
            Thread.sleep(20);
            assertThat(raw.drain()).as("frames to MAC_B flooded after teach()").isZero();
        }
    }
}
