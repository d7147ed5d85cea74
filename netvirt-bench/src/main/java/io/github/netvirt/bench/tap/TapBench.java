package io.github.netvirt.bench.tap;

import io.github.netvirt.bench.Main;
import io.github.netvirt.bench.Report;
import io.github.netvirt.bench.Stats;
import io.github.netvirt.bench.Workload;
import io.github.netvirt.tap.TapDevice;
import io.github.netvirt.tap.TapTimeoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TAP throughput, 0->1 across the bridge, 64- and 1500-byte frames, unpaced and paced (window
 * 256): the C peer (peers/tap-peer.c, a fresh process per run) and netvirt's stream and ByteBuffer
 * paths and its batched path (netvirt-uring: writeBatch/readBatch, io_uring), and the floor under them
 * ({@link RawTapPair}, raw-jna: one bare JNA call per frame), interleaved run by run, each after the
 * same quiet gate.
 */
public final class TapBench extends Workload {
    private static final int[] SIZES = {64, 1500};
    private static final int WINDOW = 256;
    /** In the order of the result lines; netvirt's stream path is the reference: the targets are about it. */
    private static final String[] SYSTEMS = {
        "netvirt-stream", "netvirt-bytebuffer", "netvirt-uring", RawTapPair.SYSTEM, "c"
    };

    public TapBench(Main.Options o, Report report) {
        super(o, report);
    }

    @Override
    public void run() throws Exception {
        Map<String, Map<String, Stats>> fps = new LinkedHashMap<>();
        Map<String, Map<String, Stats>> cpu = new LinkedHashMap<>(); // TapRun.cpuFps: the rate on CPUs of its own
        Map<String, String> alloc = new LinkedHashMap<>();
        double[] worstAlloc = {0};
        for (int size : SIZES) {
            for (String mode : new String[] {"", "-paced"}) {
                fps.put(size + mode, new LinkedHashMap<>());
                cpu.put(size + mode, new LinkedHashMap<>());
            }
        }
        StringBuilder cLog = new StringBuilder();
        boolean c = false;
        if (o.wants("c")) {
            try {
                CTapPeer.build(); // before any measurement: the compiler's CPU time must not overlap one
                c = true;
            } catch (IOException e) {
                report.note("c: skipped: " + e.getMessage() + "; install gcc to measure the C peer");
            }
        }
        try (TapRig rig = new TapRig();
                RawTapPair raw = o.wants(RawTapPair.SYSTEM) ? new RawTapPair(rig) : null) {
            // warm-up: every path and size, briefly, unrecorded
            for (int size : SIZES) {
                for (FramePath p : paths(rig, raw, size)) {
                    drain(rig, raw);
                    TapRun.measure(p, 0, Math.min(0.5, o.seconds));
                }
            }
            for (int r = 0; r < o.runs; r++) {
                if (c) {
                    quietGate();
                    int from = cLog.length();
                    for (Map.Entry<String, Stats> e :
                            CTapPeer.run(o.seconds, cLog).entrySet()) {
                        if (fps.containsKey(e.getKey())) {
                            fps.get(e.getKey())
                                    .computeIfAbsent("c", k -> new Stats())
                                    .add(e.getValue().median());
                        }
                    }
                    for (Map.Entry<String, Stats> e :
                            CTapPeer.parseCpu(cLog.substring(from)).entrySet()) {
                        if (cpu.containsKey(e.getKey())) {
                            cpu.get(e.getKey())
                                    .computeIfAbsent("c", k -> new Stats())
                                    .add(e.getValue().median());
                        }
                    }
                }
                quietGate();
                for (int size : SIZES) {
                    for (FramePath p : paths(rig, raw, size)) {
                        if (!o.wants(p.system)) {
                            continue;
                        }
                        for (String mode : new String[] {"", "-paced"}) {
                            drain(rig, raw);
                            TapRun run = TapRun.measure(p, mode.isEmpty() ? 0 : WINDOW, o.seconds);
                            fps.get(size + mode)
                                    .computeIfAbsent(p.system, k -> new Stats())
                                    .add(run.readFps());
                            cpu.get(size + mode)
                                    .computeIfAbsent(p.system, k -> new Stats())
                                    .add(run.cpuFps());
                            alloc.merge("tap-" + size + mode + " " + p.system, allocText(run), (a, b) -> a + " | " + b);
                            worstAlloc[0] = Math.max(
                                    worstAlloc[0],
                                    Math.max(
                                            perFrameValue(run.writerAllocBytes, run.writerAllocFrames),
                                            perFrameValue(run.readerAllocBytes, run.readerAllocFrames)));
                            report.note("run " + (r + 1) + " tap-" + size + mode + " " + p.system + ": written_fps="
                                    + Report.fmt(run.writtenFps()) + " read_fps=" + Report.fmt(run.readFps())
                                    + " loss%="
                                    + Report.fmt(
                                            run.written.get() == 0
                                                    ? 0
                                                    : 100.0 * (run.written.get() - run.read.get()) / run.written.get())
                                    + " cpu_fps=" + Report.fmt(run.cpuFps()) + " (" + run.cpuDetail() + ")");
                        }
                    }
                }
            }
        }
        for (String line : cLog.toString().split("\n")) {
            if (!line.isBlank()) {
                report.note("c: " + line);
            }
        }
        for (Map.Entry<String, Map<String, Stats>> e : fps.entrySet()) {
            Map<String, Stats> by = new LinkedHashMap<>();
            // netvirt's stream path is the reference: the targets are about it
            for (String s : SYSTEMS) {
                if (e.getValue().containsKey(s)) {
                    by.put(s, e.getValue().get(s));
                }
            }
            report.workload("tap-" + e.getKey(), "fps", by, "netvirt-stream");
            int size = Integer.parseInt(e.getKey().split("-")[0]);
            for (Map.Entry<String, Stats> s : by.entrySet()) {
                report.note("tap-" + e.getKey() + " " + s.getKey() + " median_Mbit/s="
                        + Report.fmt(s.getValue().median() * size * 8 / 1e6));
            }
            if (by.containsKey("c") && by.containsKey("netvirt-stream")) {
                double share = by.get("netvirt-stream").median() / by.get("c").median();
                report.target("tap-" + e.getKey() + " netvirt-stream/c", share, ">=", size == 64 ? 0.90 : 0.95);
            }
            if (by.containsKey("c") && by.containsKey("netvirt-bytebuffer")) {
                report.target(
                        "tap-" + e.getKey() + " netvirt-bytebuffer/c",
                        by.get("netvirt-bytebuffer").median() / by.get("c").median(),
                        ">=",
                        0.95);
            }
            floor(e.getKey(), by, size);
            if (by.containsKey("c") && by.containsKey("netvirt-uring")) {
                double share = by.get("netvirt-uring").median() / by.get("c").median();
                report.note("tap-" + e.getKey() + " netvirt-uring/c=" + Report.fmt(share) + " (batches of "
                        + FramePath.BATCH + " frames per io_uring_enter; " + (share > 1 ? "ahead of" : "behind")
                        + " C's one write() per frame)");
            }
        }
        report.note("cpu_fps: frames per second of CPU time of the busier thread (writer or reader), i.e. the"
                + " rate with two CPUs of its own; unlike read_fps it does not depend on who else used the CPUs");
        for (Map.Entry<String, Map<String, Stats>> e : cpu.entrySet()) {
            Map<String, Stats> by = new LinkedHashMap<>();
            for (String s : SYSTEMS) {
                if (e.getValue().containsKey(s)) {
                    by.put(s, e.getValue().get(s));
                }
            }
            report.workload("tap-" + e.getKey() + "-cpu", "fps", by, "netvirt-stream");
            // no target is set on CPU time: the shares of C's rate, without bound lines
            report.ratios("tap-" + e.getKey() + "-cpu", by, "c");
        }
        for (Map.Entry<String, String> e : alloc.entrySet()) {
            report.note("alloc " + e.getKey() + ": " + e.getValue());
        }
        if (!alloc.isEmpty()) {
            report.target(
                    "tap allocation per frame, worst thread of any path, size, mode and run (bytes)",
                    worstAlloc[0],
                    "<=",
                    0);
        }
    }

    private static String allocText(TapRun r) {
        return "writer_bytes_per_frame=" + perFrame(r.writerAllocBytes, r.writerAllocFrames)
                + " reader_bytes_per_frame=" + perFrame(r.readerAllocBytes, r.readerAllocFrames);
    }

    private static double perFrameValue(long bytes, long frames) {
        return bytes < 0 || frames == 0 ? 0 : (double) bytes / frames;
    }

    private static String perFrame(long bytes, long frames) {
        return bytes < 0 || frames == 0
                ? "n/a"
                : Report.fmt((double) bytes / frames) + " (" + bytes + " B over " + frames + " frames)";
    }

    /**
     * The raw-jna floor against C for one key ({@code 64}, {@code 64-paced-cpu}...): its ratio line,
     * and a {@code # bound} line per target limit saying what netvirt's share of C would be if
     * netvirt-tap cost nothing over one bare JNA call per frame.
     */
    private void floor(String key, Map<String, Stats> by, int size) {
        if (!by.containsKey("c") || !by.containsKey(RawTapPair.SYSTEM)) {
            return;
        }
        Map<String, Stats> pair = new LinkedHashMap<>();
        pair.put("c", by.get("c"));
        pair.put(RawTapPair.SYSTEM, by.get(RawTapPair.SYSTEM));
        report.ratios("tap-" + key, pair, "c");
        double share = by.get(RawTapPair.SYSTEM).median() / by.get("c").median();
        String why = "the same frames on the same bridge and CPUs, one JNA direct-mapped write(2) or read(2) per"
                + " frame on the tap fd, no netvirt-tap code: the share of C's rate ";
        double stream = size == 64 ? 0.90 : 0.95;
        report.bound(
                "tap-" + key + " raw-jna/c",
                share,
                ">=",
                stream,
                why + (stream == 0.95 ? "netvirt-stream and netvirt-bytebuffer" : "netvirt-stream")
                        + " would reach if netvirt-tap cost nothing over it");
        if (stream != 0.95) {
            report.bound(
                    "tap-" + key + " raw-jna/c",
                    share,
                    ">=",
                    0.95,
                    why + "netvirt-bytebuffer would reach if netvirt-tap cost nothing over it");
        }
    }

    private static FramePath[] paths(TapRig rig, RawTapPair raw, int size) {
        FramePath[] p = {
            FramePath.streams(rig.tap0, rig.tap1, size, TapRig.MAC_B, TapRig.MAC_A),
            FramePath.buffers(rig.tap0, rig.tap1, size, TapRig.MAC_B, TapRig.MAC_A),
            FramePath.batches(rig.tap0, rig.tap1, size, TapRig.MAC_B, TapRig.MAC_A),
            null
        };
        if (raw == null) {
            return Arrays.copyOf(p, 3);
        }
        p[3] = raw.path(size);
        return p;
    }

    private static void drain(TapRig rig, RawTapPair raw) throws IOException {
        if (raw != null) {
            raw.drain();
        }
        byte[] buf = new byte[TapDevice.MAX_FRAME];
        for (TapDevice t : new TapDevice[] {rig.tap0, rig.tap1}) {
            try {
                while (true) {
                    t.read(buf, 0, buf.length);
                }
            } catch (TapTimeoutException e) {
                // empty
            }
        }
    }

    /** Waits (at most 30 s) until the CPUs are less than 25% busy: other work may share the machine. */
    private static void quietGate() throws IOException, InterruptedException {
        long end = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < end) {
            long[] a = cpu();
            Thread.sleep(300);
            long[] b = cpu();
            long tot = b[0] - a[0];
            long idle = b[1] - a[1];
            if (tot <= 0 || 100 * (tot - idle) / tot < 25) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private static long[] cpu() throws IOException {
        String[] f =
                Files.readString(Path.of("/proc/stat")).split("\n")[0].trim().split("\\s+");
        long tot = 0;
        for (int i = 1; i <= 8; i++) {
            tot += Long.parseLong(f[i]);
        }
        return new long[] {tot, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }
}
