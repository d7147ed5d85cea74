package io.github.netvirt.bench.tap;

import io.github.netvirt.bench.Main;
import io.github.netvirt.bench.Report;
import io.github.netvirt.bench.RoundRatios;
import io.github.netvirt.bench.Stats;
import io.github.netvirt.bench.Workload;
import io.github.netvirt.tap.TapDevice;
import io.github.netvirt.tap.TapTimeoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * TAP throughput, 0->1 across the bridge, 64- and 1500-byte frames, unpaced and paced (window
 * 256): the C peer (peers/tap-peer.c, a fresh process per size and round) and netvirt's stream and
 * ByteBuffer paths and its batched path (netvirt-uring: writeBatch/readBatch, io_uring), and the
 * floor under them ({@link RawTapPair}, raw-jna: one bare JNA call per frame).
 *
 * <p>On a shared two-CPU machine one measurement moves by a quarter or more from the next, for C as
 * for Java: other work takes the pinned CPUs (a writer waited for its CPU up to 90% of a
 * measurement), and the writer's cost per frame depends on how often the reader sits on the tap's
 * wait queue. So the workload runs short rounds, each with every system once, in an order rotated
 * from round to round; a measurement whose threads waited for their CPUs more than
 * {@link #DISTURBED} of it is taken again; and the ratios to C (targets, bounds) are medians of
 * per-round ratios, printed with their spread.
 */
public final class TapBench extends Workload {
    private static final int[] SIZES = {64, 1500};
    private static final int WINDOW = 256;
    private static final String[] MODES = {"", "-paced"};
    /**
     * A measurement whose writer or reader waited for its pinned CPU longer than this share of the
     * measurement (other work on the machine) is taken again, up to {@link #ATTEMPTS} times in all,
     * and the least disturbed one is kept: the same rule for every system, the C peer included.
     */
    private static final double DISTURBED = 0.10;

    private static final int ATTEMPTS = 3;
    /** In the order of the result lines; netvirt's stream path is the reference: the targets are about it. */
    private static final String[] SYSTEMS = {
        "netvirt-stream", "netvirt-bytebuffer", "netvirt-uring", RawTapPair.SYSTEM, "c"
    };

    public TapBench(Main.Options o, Report report) {
        super(o, report);
    }

    @Override
    public void run() throws Exception {
        // key ("1500", "1500-paced"...) -> one map per round: system -> its sample of that round
        Map<String, List<Map<String, TapSample>>> rounds = new LinkedHashMap<>();
        Map<String, String> alloc = new LinkedHashMap<>();
        WorstAllocation worstAlloc = new WorstAllocation();
        for (int size : SIZES) {
            for (String mode : MODES) {
                List<Map<String, TapSample>> l = new ArrayList<>();
                for (int r = 0; r < o.runs; r++) {
                    l.add(new LinkedHashMap<>());
                }
                rounds.put(size + mode, l);
            }
        }
        boolean c = false;
        if (o.wants("c")) {
            try {
                CTapPeer.build(); // before any measurement: the compiler's CPU time must not overlap one
                c = true;
            } catch (IOException e) {
                report.note("c: skipped: " + e.getMessage() + "; install gcc to measure the C peer");
            }
        }
        report.note("rounds: " + o.runs + " per size; in each, every system once (unpaced, then paced), "
                + o.seconds + " s per measurement, the systems' order rotated from round to round; a measurement"
                + " whose writer or reader waited for its CPU more than " + Report.fmt(DISTURBED) + " of it is"
                + " taken again (at most " + ATTEMPTS + " attempts, the least disturbed kept); ratios to c are"
                + " medians of per-round ratios");
        long started = System.nanoTime();
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
                for (int size : SIZES) {
                    Map<String, FramePath> bySystem = new LinkedHashMap<>();
                    for (FramePath p : paths(rig, raw, size)) {
                        if (o.wants(p.system)) {
                            bySystem.put(p.system, p);
                        }
                    }
                    List<String> order = new ArrayList<>(bySystem.keySet());
                    if (c) {
                        order.add("c");
                    }
                    // every system in every position in turn: none always follows the same one
                    Collections.rotate(order, -(r % Math.max(1, order.size())));
                    quietGate();
                    for (String system : order) {
                        if (system.equals("c")) {
                            List<TapSample> best = null;
                            String bestLog = "";
                            int attempt = 0;
                            while (attempt < ATTEMPTS && (best == null || worstWait(best) > DISTURBED)) {
                                attempt++;
                                StringBuilder log = new StringBuilder();
                                List<TapSample> got = CTapPeer.run(o.seconds, size, log);
                                if (best == null || worstWait(got) < worstWait(best)) {
                                    best = got;
                                    bestLog = log.toString();
                                }
                            }
                            for (TapSample t : best) {
                                rounds.get(t.key()).get(r).put("c", t);
                            }
                            for (String line : bestLog.split("\n")) {
                                if (line.startsWith("result ") || line.startsWith("# coupling ")) {
                                    report.note("run " + (r + 1) + " c: " + line.replaceFirst("^# ", "")
                                            + (line.startsWith("result ") ? " attempts=" + attempt : ""));
                                }
                            }
                            continue;
                        }
                        FramePath p = bySystem.get(system);
                        for (String mode : MODES) {
                            TapRun run = null;
                            TapSample sample = null;
                            int attempt = 0;
                            while (attempt < ATTEMPTS && (sample == null || sample.cpuWait() > DISTURBED)) {
                                attempt++;
                                drain(rig, raw);
                                TapRun got = TapRun.measure(p, mode.isEmpty() ? 0 : WINDOW, o.seconds);
                                TapSample t = TapSample.of(size + mode, system, got);
                                if (sample == null || t.cpuWait() < sample.cpuWait()) {
                                    run = got;
                                    sample = t;
                                }
                            }
                            rounds.get(size + mode).get(r).put(system, sample);
                            alloc.merge("tap-" + size + mode + " " + system, allocText(run), (a, b) -> a + " | " + b);
                            worstAlloc.add(
                                    system,
                                    run.writerAllocBytes,
                                    run.writerAllocFrames,
                                    run.readerAllocBytes,
                                    run.readerAllocFrames);
                            report.note("run " + (r + 1) + " tap-" + size + mode + " " + system + ": written_fps="
                                    + Report.fmt(run.writtenFps()) + " read_fps=" + Report.fmt(run.readFps())
                                    + " loss%="
                                    + Report.fmt(
                                            run.written.get() == 0
                                                    ? 0
                                                    : 100.0 * (run.written.get() - run.read.get()) / run.written.get())
                                    + " cpu_fps=" + Report.fmt(run.cpuFps()) + " (" + run.cpuDetail() + ") "
                                    + run.couplingDetail() + " attempts=" + attempt);
                        }
                    }
                }
            }
        }
        report.note("tap: " + o.runs + " rounds took " + Report.fmt((System.nanoTime() - started) / 1e9)
                + " s (set-up, warm-up and quiet gates included)");
        for (Map.Entry<String, List<Map<String, TapSample>>> e : rounds.entrySet()) {
            summarise(
                    "tap-" + e.getKey(), Integer.parseInt(e.getKey().split("-")[0]), e.getValue(), TapSample::readFps);
        }
        report.note("cpu_fps: frames per second of CPU time of the busier thread (writer or reader), i.e. the"
                + " rate with two CPUs of its own; unlike read_fps it does not depend on who else used the CPUs");
        for (Map.Entry<String, List<Map<String, TapSample>>> e : rounds.entrySet()) {
            summarise(
                    "tap-" + e.getKey() + "-cpu",
                    Integer.parseInt(e.getKey().split("-")[0]),
                    e.getValue(),
                    TapSample::cpuFps);
        }
        for (Map.Entry<String, String> e : alloc.entrySet()) {
            report.note("alloc " + e.getKey() + ": " + e.getValue());
        }
        if (worstAlloc.judged()) {
            report.target(
                    "tap allocation per frame, worst thread of netvirt's paths in any size, mode and run (bytes)",
                    worstAlloc.worst(),
                    "<=",
                    0);
        }
    }

    /**
     * The share of the C peer's frames per second that {@code system} has a target on at frame size
     * {@code size} (issue 16: the streams 90% at 64 B and 95% at 1500 B, the ByteBuffer path 95%), or
     * null for a system without one.
     */
    private static Double targetShare(String system, int size) {
        return switch (system) {
            case "netvirt-stream" -> size == 64 ? 0.90 : 0.95;
            case "netvirt-bytebuffer" -> 0.95;
            default -> null;
        };
    }

    /**
     * The result lines of one workload (median rate over the rounds), the spread of the per-round
     * ratios to C, and for the wall-clock rates ({@code tap-64}, not {@code -cpu}) the targets and the
     * raw-jna bound on the medians of those per-round ratios.
     */
    private void summarise(
            String workload, int size, List<Map<String, TapSample>> samples, ToDoubleFunction<TapSample> rate) {
        List<Map<String, Double>> rounds = new ArrayList<>();
        Map<String, Stats> by = new LinkedHashMap<>();
        Map<String, Stats> wait = new LinkedHashMap<>();
        for (Map<String, TapSample> round : samples) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String s : SYSTEMS) {
                TapSample t = round.get(s);
                if (t != null) {
                    m.put(s, rate.applyAsDouble(t));
                    by.computeIfAbsent(s, k -> new Stats()).add(rate.applyAsDouble(t));
                    if (!Double.isNaN(t.cpuWait())) {
                        wait.computeIfAbsent(s, k -> new Stats()).add(t.cpuWait());
                    }
                }
            }
            rounds.add(m);
        }
        if (by.isEmpty()) {
            return;
        }
        report.workload(workload, "fps", by, "netvirt-stream");
        boolean cpu = workload.endsWith("-cpu");
        if (!cpu) {
            for (Map.Entry<String, Stats> s : by.entrySet()) {
                report.note(workload + " " + s.getKey() + " median_Mbit/s="
                        + Report.fmt(s.getValue().median() * size * 8 / 1e6)
                        + (wait.containsKey(s.getKey())
                                ? " cpu_wait_share median="
                                        + Report.fmt(wait.get(s.getKey()).median()) + " max="
                                        + Report.fmt(wait.get(s.getKey()).max())
                                : ""));
            }
        }
        if (by.containsKey(RawTapPair.SYSTEM)) {
            // netvirt-tap's own cost: its paths over the bare JNA call, in the same JVM and round
            for (String s : new String[] {"netvirt-stream", "netvirt-bytebuffer"}) {
                RoundRatios r = RoundRatios.of(rounds, s, RawTapPair.SYSTEM);
                if (r.count() > 0) {
                    report.note("per-round " + workload + " " + s + "/" + RawTapPair.SYSTEM + ": " + r.describe());
                }
            }
        }
        if (!by.containsKey("c")) {
            return;
        }
        Map<String, Double> perRound = new LinkedHashMap<>();
        for (String s : by.keySet()) {
            RoundRatios r = RoundRatios.of(rounds, s, "c");
            if (!s.equals("c") && r.count() > 0) {
                Double limit = cpu ? null : targetShare(s, size); // no target is set on CPU time
                report.note("per-round " + workload + " " + s + "/c: "
                        + (limit == null ? r.describe() : r.describe(">=", limit)));
                perRound.put(s, r.stats().median());
            }
        }
        if (cpu) {
            return;
        }
        String key = workload.substring(4);
        for (String s : new String[] {"netvirt-stream", "netvirt-bytebuffer"}) {
            if (perRound.containsKey(s)) {
                report.target(workload + " " + s + "/c", perRound.get(s), ">=", targetShare(s, size));
            }
        }
        if (perRound.containsKey(RawTapPair.SYSTEM)) {
            floor(key, perRound.get(RawTapPair.SYSTEM), size);
        }
        if (perRound.containsKey("netvirt-uring")) {
            double share = perRound.get("netvirt-uring");
            report.note(workload + " netvirt-uring/c=" + Report.fmt(share) + " (batches of " + FramePath.BATCH
                    + " frames per io_uring_enter; " + (share > 1 ? "ahead of" : "behind")
                    + " C's one write() per frame)");
        }
    }

    /** The larger CPU-wait share of a C peer run's measurements; unknown (NaN) ones count as undisturbed. */
    private static double worstWait(List<TapSample> samples) {
        double w = 0;
        for (TapSample t : samples) {
            w = Math.max(w, Double.isNaN(t.cpuWait()) ? 0 : t.cpuWait());
        }
        return w;
    }

    private static String allocText(TapRun r) {
        return "writer_bytes_per_frame=" + perFrame(r.writerAllocBytes, r.writerAllocFrames)
                + " reader_bytes_per_frame=" + perFrame(r.readerAllocBytes, r.readerAllocFrames);
    }

    private static String perFrame(long bytes, long frames) {
        return bytes < 0 || frames == 0
                ? "n/a"
                : Report.fmt((double) bytes / frames) + " (" + bytes + " B over " + frames + " frames)";
    }

    /**
     * The raw-jna floor against C for one key ({@code 64}, {@code 1500-paced}...): a {@code # bound}
     * line per target limit saying what netvirt's share of C would be if netvirt-tap cost nothing
     * over one bare JNA call per frame ({@code share}: the median of raw-jna's per-round ratios).
     */
    private void floor(String key, double share, int size) {
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

    /** Teaches the bridge both MACs of every pair again (see {@link TapRig#teach()}), then empties the taps' queues. */
    private static void drain(TapRig rig, RawTapPair raw) throws IOException {
        rig.teach();
        if (raw != null) {
            raw.teach();
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
