package io.github.netvirt.bench.tap;

import io.github.netvirt.bench.Report;
import io.github.netvirt.bench.Stats;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer's cost per frame, alone (no reader): 64-byte frames into a tap on the C peer's bridge,
 * through netvirt's stream, netvirt's ByteBuffer path, and a bare JNA write on a third tap of the
 * same bridge. All three frames go to MAC_B behind pbtap1, so the kernel's work per frame is the
 * same; the differences are the Java side's.
 */
public final class TapWriteCost {
    private static final int FRAMES = 200_000;

    private TapWriteCost() {}

    public static void run(Report report, int warmup, int runs) throws Exception {
        Map<String, Stats> by = new LinkedHashMap<>();
        try (TapRig rig = new TapRig()) {
            byte[] f = new byte[64];
            TapRig.frame(f, 64, TapRig.MAC_B, TapRig.MAC_A);
            FramePath stream = FramePath.streams(rig.tap0, rig.tap1, 64, TapRig.MAC_B, TapRig.MAC_A);
            FramePath buffer = FramePath.buffers(rig.tap0, rig.tap1, 64, TapRig.MAC_B, TapRig.MAC_A);
            try (RawTap raw = new RawTap(rig.ns, "pbtap2", f, 64)) {
                rig.attach("pbtap2");
                for (int r = 0; r < warmup + runs; r++) {
                    boolean keep = r >= warmup;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < FRAMES; i++) {
                        stream.write(i);
                    }
                    long t1 = System.nanoTime();
                    for (int i = 0; i < FRAMES; i++) {
                        buffer.write(i);
                    }
                    long t2 = System.nanoTime();
                    long failed = 0;
                    for (int i = 0; i < FRAMES; i++) {
                        if (raw.write(64) != 64) {
                            failed++;
                        }
                    }
                    long t3 = System.nanoTime();
                    if (failed > 0) {
                        throw new IllegalStateException(failed + " raw writes failed");
                    }
                    if (keep) {
                        by.computeIfAbsent("netvirt-stream", k -> new Stats()).add((t1 - t0) / 1e3 / FRAMES);
                        by.computeIfAbsent("netvirt-bytebuffer", k -> new Stats())
                                .add((t2 - t1) / 1e3 / FRAMES);
                        by.computeIfAbsent("raw-jna", k -> new Stats()).add((t3 - t2) / 1e3 / FRAMES);
                    }
                }
            }
        }
        report.note("tap write cost: microseconds per 64-byte frame written (writer alone, " + FRAMES
                + " frames per run); ratio = netvirt's cost over the bare JNA write");
        report.workload("tap-write-64", "us", by, "raw-jna");
    }
}
