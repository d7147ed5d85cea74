package io.github.netvirt.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.TapDevice;
import io.github.netvirt.tap.TapTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The raw-jna path of the tap workload: pbtap2 -> pbtap3 on the rig's bridge, beside netvirt's taps. */
class RawTapPairTest {
    @Test
    @RequiresRoot
    void everyFrameWrittenOnPbtap2IsReadOnPbtap3AndNoneReachesNetvirtsTaps() throws Exception {
        try (TapRig rig = new TapRig();
                RawTapPair raw = new RawTapPair(rig)) {
            for (int size : new int[] {64, 1500}) {
                FramePath p = raw.path(size);
                for (int i = 1; i <= 100; i++) { // seq 0 is the set-up's priming frame
                    p.write(i);
                }
                int got = 0;
                int m;
                while ((m = p.readSome()) >= 0) {
                    got += m;
                }
                // -1: the read timeout passed with the queue empty
                assertThat(got).as("frames of %d bytes read", size).isEqualTo(100);
            }
            // known unicast: the bridge sent none of them to pbtap0 or pbtap1 (whatever else came there:
            // the priming frames, flooded before the bridge learnt MAC_D; the kernel's IGMP reports)
            for (TapDevice t : new TapDevice[] {rig.tap0, rig.tap1}) {
                assertThat(framesTo(t, RawTapPair.MAC_D)).as(t.name()).isZero();
            }
        }
    }

    /**
     * Reads {@code t} until its read timeout passes; counts the bench's frames to {@code mac} other
     * than the priming one (seq 0).
     */
    private static int framesTo(TapDevice t, byte[] mac) throws Exception {
        byte[] buf = new byte[2048];
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        int n = 0;
        try {
            while (true) {
                int len = t.read(buf, 0, buf.length);
                if (FramePath.ours(b, len) && Arrays.equals(buf, 0, 6, mac, 0, 6) && b.getInt(18) != 0) {
                    n++;
                }
            }
        } catch (TapTimeoutException e) {
            return n;
        }
    }
}
