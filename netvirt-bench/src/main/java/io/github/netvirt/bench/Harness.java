package io.github.netvirt.bench;

import io.github.netvirt.bench.profile.CpuProfiler;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every system's up and down in turn, round by round (warm-up rounds first, unrecorded), so
 * that all systems see the same machine load, each round beginning with the next system
 * ({@link #inTurn}: no system always runs right after the same one), and records wall-clock times in milliseconds, and the
 * CPU time of each up ({@link #CPU_UP}): the process's for in-process systems (every thread of the
 * JVM, its compiler's and collector's included), what the system reports for one timing itself; and,
 * for in-process systems, how long the JIT compiler worked during each up and the pause after it
 * ({@link #JIT_UP}): the compilations an up sets off run on the compiler's threads at the same time;
 * and how the JVM's threads shared the CPUs during each in-process up ({@link ThreadCpu}).
 */
public final class Harness {
    /** The index, in each system's statistics, of the CPU milliseconds of its up (no samples: not known). */
    public static final int CPU_UP = 3;

    /** The index of the milliseconds the JIT compiler worked during an in-process system's up and the pause after it. */
    public static final int JIT_UP = 4;

    /**
     * The index of the first of an in-process system's per-up thread times ({@link ThreadCpu}), in
     * milliseconds: the calling thread's CPU and run-queue wait, the JIT compiler's threads' CPU, the
     * other threads' CPU and run-queue wait.
     */
    private static final int THREADS = 5;

    private static final int STATS = THREADS + 5;

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private final int warmup;
    private final int runs;
    private final int peerRuns;
    private final long settleCapMillis;
    private long quietCapMillis = -1;
    private Forks forks;
    private Report report;
    private final Map<String, Stats> quietWaits = new LinkedHashMap<>();

    /**
     * {@code peerRuns}: how many of the measured rounds include the whole-process peers (the first
     * ones; they skip the warm-up rounds, which are for the JVM); {@code settleCapMillis}: the
     * longest wait, after a teardown, for the kernel to finish destroying namespaces.
     */
    public Harness(int warmup, int runs, int peerRuns, long settleCapMillis) {
        this.warmup = warmup;
        this.runs = runs;
        this.peerRuns = Math.min(peerRuns, runs);
        this.settleCapMillis = settleCapMillis;
    }

    /**
     * Has every system's down wait, off the clock, until no packets move in the kernel after its up
     * ({@link Kernel#awaitQuiet}), at most {@code capMillis}, instead of timing it 100 ms after the
     * up: every down then meets the same kernel, whatever its up left pending.
     */
    public Harness quietBeforeDown(long capMillis) {
        this.quietCapMillis = capMillis;
        return this;
    }

    /** The milliseconds each system's downs waited for the kernel to be quiet ({@link #quietBeforeDown}). */
    public Map<String, Stats> quietWaits() {
        return quietWaits;
    }

    /**
     * The systems in the order of round {@code round}: the list turned by {@code round} places. The
     * kernel is still busy with what the system before did (the namespaces it deleted are destroyed
     * asynchronously, in a work queue), so in a fixed order a system would always pay for the same
     * predecessor.
     */
    static List<Topo> inTurn(List<Topo> systems, int round) {
        List<Topo> turned = new ArrayList<>(systems.size());
        for (int i = 0; i < systems.size(); i++) {
            turned.add(systems.get((i + round) % systems.size()));
        }
        return turned;
    }

    /**
     * Per system: [up, down, up+down, CPU of up, JIT during up, the up's thread times...] statistics.
     * Every system is cleaned up, whatever happens.
     */
    public Map<String, Stats[]> measure(List<Topo> systems) throws Exception {
        if (forks != null && !forks.child()) {
            if (quietCapMillis >= 0) {
                throw new IllegalArgumentException("--forks does not keep the quiet waits before the downs");
            }
            return forks.measure(systems, report);
        }
        Map<String, Stats[]> measured = measureHere(systems);
        if (forks != null) {
            forks.write(measured, systems);
        }
        return measured;
    }

    /**
     * Measures the rounds in several JVMs ({@code forks}, unless null), reporting to {@code report};
     * in a child of such a run, writes what it measured for its parent.
     */
    Harness forked(Forks forks, Report report) {
        this.forks = forks;
        this.report = report;
        return this;
    }

    /** One system's statistics, empty: [up, down, up+down, CPU of up, JIT during up, the up's thread times...]. */
    static Stats[] newStats() {
        Stats[] s = new Stats[STATS];
        for (int i = 0; i < s.length; i++) {
            s[i] = new Stats();
        }
        return s;
    }

    private Map<String, Stats[]> measureHere(List<Topo> systems) throws Exception {
        Map<String, Stats[]> out = new LinkedHashMap<>();
        List<Runnable> hooks = new ArrayList<>();
        String caller = ThreadCpu.callerTid();
        CpuProfiler profiler = CpuProfiler.fromProperty();
        for (Topo t : systems) {
            Stats[] s = newStats();
            out.put(t.system(), s);
            Runnable c = t::cleanup;
            hooks.add(c);
            Cleanup.register(c);
        }
        try {
            for (int round = 0; round < warmup + runs; round++) {
                for (Topo t : inTurn(systems, round)) {
                    if (t.wholeProcess() && (round < warmup || round >= warmup + peerRuns)) {
                        continue;
                    }
                    long namespacesBefore = Kernel.netNamespaces();
                    Map<String, ThreadCpu.Times> threads0 = ThreadCpu.before(caller);
                    long jit0 = jitMillis();
                    double cpu0 = ProcessCpu.nanos();
                    long t0 = System.nanoTime();
                    if (t.phases() != null) { // from the up's own start: not the readings above
                        t.phases().start(t0);
                    }
                    Step upStep = t::up; // one call site, linked in the warm-ups
                    if (profiler != null && round >= warmup) {
                        profiler.resume(t.system());
                        step(t, "up", upStep);
                        profiler.pause(t.system());
                    } else {
                        step(t, "up", upStep);
                    }
                    long t1 = System.nanoTime();
                    double cpu1 = ProcessCpu.nanos();
                    ThreadCpu.Between threads = ThreadCpu.Between.of(threads0, ThreadCpu.after(caller));
                    double upSelf = t.selfTimedMillis();
                    // another process's work is not in this one's CPU clock: such a system reports its own
                    double cpuUp = t.wholeProcess() || !Double.isNaN(upSelf) ? t.selfCpuMillis() : (cpu1 - cpu0) / 1e6;
                    Thread.sleep(100);
                    long jitUp = jitMillis() - jit0;
                    long waited = quietCapMillis < 0 ? 0 : Kernel.awaitQuiet(quietCapMillis);
                    long t2 = System.nanoTime();
                    step(t, "down", t::down);
                    long t3 = System.nanoTime();
                    double downSelf = t.selfTimedMillis();
                    Kernel.awaitNamespacesGone(namespacesBefore, settleCapMillis);
                    if (t.phases() != null) {
                        if (round >= warmup) {
                            t.phases().keep();
                        } else {
                            t.phases().drop();
                        }
                    }
                    if (round >= warmup) {
                        Stats[] s = out.get(t.system());
                        double up = Double.isNaN(upSelf) ? (t1 - t0) / 1e6 : upSelf;
                        double down = Double.isNaN(downSelf) ? (t3 - t2) / 1e6 : downSelf;
                        if (quietCapMillis >= 0) {
                            quietWaits
                                    .computeIfAbsent(t.system(), k -> new Stats())
                                    .add(waited);
                        }
                        s[0].add(up);
                        s[1].add(down);
                        s[2].add(up + down);
                        if (!Double.isNaN(cpuUp)) {
                            s[CPU_UP].add(cpuUp);
                        }
                        if (!t.wholeProcess() && jit0 >= 0) {
                            s[JIT_UP].add(jitUp);
                        }
                        if (!t.wholeProcess() && Double.isNaN(upSelf)) {
                            s[THREADS].add(threads.runMillis(ThreadCpu.Role.CALLER));
                            s[THREADS + 1].add(threads.waitedMillis(ThreadCpu.Role.CALLER));
                            s[THREADS + 2].add(threads.runMillis(ThreadCpu.Role.COMPILER));
                            s[THREADS + 3].add(threads.runMillis(ThreadCpu.Role.OTHER));
                            s[THREADS + 4].add(threads.waitedMillis(ThreadCpu.Role.OTHER));
                        }
                    }
                }
            }
        } finally {
            for (Topo t : systems) {
                t.cleanup();
            }
            hooks.forEach(Cleanup::unregister);
            if (profiler != null) {
                profiler.write();
            }
        }
        return out;
    }

    /** The JIT compiler's accumulated working time in milliseconds, -1 when the JVM does not tell. */
    private static long jitMillis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : -1;
    }

    /**
     * The CPU time of each system's up as its own workload ({@code <prefix>-up-cpu}, milliseconds), for
     * the systems where it is known, the JIT compiler's working time during each in-process up
     * ({@code <prefix>-up-jit}), and per in-process system a {@code # threads} line: how long, during
     * its up, the calling thread, the JIT compiler's threads and the other threads ran, and how long
     * the system's threads waited for a CPU.
     */
    public static void printCpu(Report report, String prefix, Map<String, Stats[]> r, String ref) {
        Map<String, Stats> by = measured(r, CPU_UP);
        if (!by.isEmpty()) {
            report.workload(prefix + "-up-cpu", "ms", by, by.containsKey(ref) ? ref : null);
        }
        Map<String, Stats> jit = measured(r, JIT_UP);
        if (!jit.isEmpty()) {
            report.note(prefix + "-up-jit: milliseconds the JIT compiler worked during each in-process up and the"
                    + " 100 ms after it (compilations the up set off; they run beside it, on this machine's "
                    + Runtime.getRuntime().availableProcessors() + " CPUs)");
            report.workload(prefix + "-up-jit", "ms", jit, null);
        }
        for (Map.Entry<String, Stats[]> e : r.entrySet()) {
            Stats[] s = e.getValue();
            if (s[THREADS].count() > 0) {
                report.note("threads " + prefix + "-up " + e.getKey()
                        + " (median ms per up; /proc/self/task/*/schedstat, the calling thread's CPU from its clock):"
                        + " calling thread ran " + Report.fmt(s[THREADS].median())
                        + ", waited for a CPU " + Report.fmt(s[THREADS + 1].median())
                        + "; JIT compiler threads ran " + Report.fmt(s[THREADS + 2].median())
                        + "; other threads ran " + Report.fmt(s[THREADS + 3].median())
                        + ", waited for a CPU " + Report.fmt(s[THREADS + 4].median()));
            }
        }
    }

    /** Statistic {@code index} of each system of {@code r} that has samples of it. */
    private static Map<String, Stats> measured(Map<String, Stats[]> r, int index) {
        Map<String, Stats> by = new LinkedHashMap<>();
        for (Map.Entry<String, Stats[]> e : r.entrySet()) {
            if (e.getValue()[index].count() > 0) {
                by.put(e.getKey(), e.getValue()[index]);
            }
        }
        return by;
    }

    /** One comment line per system that reported phases: medians (ms) of each phase of up(). */
    public static void printPhases(Report report, String workload, List<Topo> systems) {
        for (Topo t : systems) {
            if (t.phases() != null && !t.phases().isEmpty()) {
                report.note("phases " + workload + "-up " + t.system() + " (median ms): "
                        + t.phases().summary());
            }
        }
    }

    /** A step of a system under measurement; when it fails, the system is cleaned up and the run stops. */
    private interface Step {
        void run() throws Exception;
    }

    private static void step(Topo t, String what, Step step) {
        try {
            step.run();
        } catch (Exception | Error e) {
            t.cleanup();
            throw new IllegalStateException(t.system() + " " + what + " failed", e);
        }
    }
}
