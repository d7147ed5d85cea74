package io.github.netvirt.bench.chaos;

import io.github.netvirt.bench.Cleanup;
import io.github.netvirt.bench.Main;
import io.github.netvirt.bench.Report;
import io.github.netvirt.bench.Workload;
import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What netvirt leaves behind under abuse: {@code kill -9} of JVMs at random points of apply and
 * of close (named and ephemeral topologies, a process running inside), many apply/close cycles in
 * one JVM, and parallel copies of one topology. Prints {@code chaos} lines: what is left
 * (namespaces, devices, mounts under /run/netns, crash records, processes) and how the fds and
 * threads of this JVM grew; every figure should be 0. What it finds it then removes (its own
 * names, its own processes only), so a run leaves the machine as it found it.
 *
 * <p>Crash records go to a directory of this run ({@code netvirt.run.dir}), so that
 * {@link Topology#cleanup()} between the kills sees only this run's dead JVMs, not other users'.
 */
public final class ChaosBench extends Workload {
    /** The environment variable that marks every process the workload starts inside a topology. */
    static final String MARK = "NETVIRT_CHAOS";

    private final String base;
    private final Path runDir;
    private final List<Long> children = new ArrayList<>();

    public ChaosBench(Main.Options o, Report report) {
        super(o, report);
        this.base = "nvchaos" + "000".substring(o.token.length()) + o.token;
        this.runDir = Path.of("/run/netvirt-chaos-" + o.token);
    }

    /** The topology that is killed and cycled: a bridge host, three hosts, one veth to the root namespace. */
    static TopologyBuilder topology(String prefix, String rootDev, boolean ephemeral) {
        TopologyBuilder b = Topology.create().prefix(prefix);
        if (ephemeral) {
            b.ephemeral();
        }
        b.ns("br").bridge("br");
        for (int i = 1; i <= 3; i++) {
            b.ns("h" + i).veth("eth0", "br", "p" + i).addr("10.214.0." + i + "/24");
            b.ns("br").dev("p" + i).master("br");
        }
        b.ns("h1").veth("up0", Topology.ROOT, rootDev);
        return b;
    }

    static ProcessBuilder sleeper(String token) {
        ProcessBuilder pb = new ProcessBuilder("sleep", "1000");
        pb.environment().put(MARK, token);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        return pb;
    }

    @Override
    public void run() throws Exception {
        if (System.getProperty("netvirt.run.dir") == null) {
            System.setProperty("netvirt.run.dir", runDir.toString());
        }
        Leftovers left = new Leftovers(base, o.token, runDir, children);
        Runnable cleanup = () -> report.note("removed at exit: " + left.removeAll());
        Cleanup.register(cleanup);
        boolean done = false;
        try {
            // warm-up: class loading, netvirt's pools, the JDK's process reaper
            List<Process> warm = new ArrayList<>();
            cycle(topology(base + "w-", base + "wr", false), warm);
            cycle(topology(base + "w-", base + "wr", true), warm);
            settle(warm);
            Thread.sleep(6000); // idle pool threads time out (5 s)
            long[] before = sample();
            kills();
            cycles();
            parallel();
            Thread.sleep(6000); // netvirt's idle pool threads time out (5 s)
            long[] after = sample();
            report.note("fds/threads of this JVM before/after (threads without the JDK's idle process reapers): fds "
                    + before[0] + "/" + after[0] + " threads " + before[1] + "/" + after[1]);
            Thread.sleep(200); // the kernel destroys namespaces asynchronously
            Leftovers.Count c = left.count();
            report.line("chaos left", c.toString());
            report.line("chaos growth", "fds=" + (after[0] - before[0]) + " threads=" + (after[1] - before[1]));
            report.note("removed afterwards by the workload: " + left.removeAll());
            done = true;
        } finally {
            Cleanup.unregister(cleanup);
            if (!done) {
                cleanup.run();
            }
        }
    }

    // ------------------------------------------------------------------ kill -9

    private void kills() throws Exception {
        int[] landed = new int[2]; // during apply, during close
        int removedByCleanup = 0;
        List<String> trouble = new ArrayList<>();
        for (int i = 0; i < o.kills; i++) {
            boolean ephemeral = i % 2 == 1;
            boolean atApply = i / 2 % 2 == 0;
            String prefix = base + "k" + i + "-";
            List<String> cmd = new ArrayList<>(List.of(
                    javaCommand(),
                    "-Dnetvirt.run.dir=" + System.getProperty("netvirt.run.dir"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    ChaosChild.class.getName(),
                    ephemeral ? "ephemeral" : "named",
                    atApply ? "apply" : "close",
                    prefix,
                    base + "k" + i + "r",
                    o.token));
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            synchronized (children) {
                children.add(child.pid());
            }
            StringBuilder said = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    said.append(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    said.append(e);
                }
            });
            reader.start();
            if (!child.waitFor(120, TimeUnit.SECONDS)) {
                child.toHandle().destroyForcibly();
                child.waitFor();
            }
            reader.join();
            String out = said.toString().trim();
            if (out.endsWith("K apply")) {
                landed[0]++;
            } else if (out.endsWith("K close")) {
                landed[1]++;
            } else {
                trouble.add("kill " + i + ": "
                        + (out.isEmpty()
                                ? "no output, exit " + child.exitValue()
                                : out.substring(Math.max(0, out.length() - 300))));
            }
            removedByCleanup += Topology.cleanup().removed().size();
        }
        report.note("kills: " + o.kills + " kill -9 (named and ephemeral alternately, aimed at apply and close"
                + " alternately): landed during apply " + landed[0] + ", during close " + landed[1]
                + "; objects removed by Topology.cleanup() between them " + removedByCleanup);
        trouble.forEach(t -> report.note("  " + t));
    }

    private static String javaCommand() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    // ------------------------------------------------------------------ cycles in this JVM

    private void cycles() throws Exception {
        TopologyBuilder named = topology(base + "c-", base + "cr", false);
        TopologyBuilder ephemeral = topology(base + "c-", base + "cr", true);
        List<Process> started = new ArrayList<>();
        int survivors = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < o.cycles; i++) {
            cycle(i % 2 == 0 ? named : ephemeral, started);
            if (started.size() >= 50) {
                survivors += settle(started);
            }
        }
        survivors += settle(started);
        report.note("cycles: " + o.cycles + " apply/close (named and ephemeral alternately, a process inside) in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms; processes alive 1 s after close() " + survivors
                + " (then killed by the workload)");
    }

    /** Applies, starts a process inside, closes; the process goes to {@code started} for {@link #settle}. */
    private void cycle(TopologyBuilder b, List<Process> started) throws Exception {
        Topology t = b.apply();
        try {
            Process p = t.namespace("h2").start(sleeper(o.token));
            synchronized (started) {
                started.add(p);
            }
        } finally {
            t.close();
        }
    }

    /**
     * Gives the processes of closed topologies up to 1 s together to end, kills those still running
     * and returns how many that was (a few dozen at a time, so that survivors do not pile up).
     */
    private static int settle(List<Process> started) throws InterruptedException {
        List<Process> all;
        synchronized (started) {
            all = new ArrayList<>(started);
            started.clear();
        }
        long deadline = System.nanoTime() + 1_000_000_000L;
        int alive = 0;
        for (Process p : all) {
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                alive++;
                p.destroyForcibly();
                p.waitFor();
            }
        }
        return alive;
    }

    // ------------------------------------------------------------------ parallel copies

    private void parallel() throws Exception {
        int copies = o.copies;
        int rounds = 10;
        CyclicBarrier barrier = new CyclicBarrier(copies);
        AtomicInteger failures = new AtomicInteger();
        List<Process> started = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(copies);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < copies; c++) {
                TopologyBuilder b = topology(base + "p" + c + "-", base + "p" + c + "r", c % 2 == 1);
                fs.add(pool.submit(() -> {
                    for (int r = 0; r < rounds; r++) {
                        barrier.await();
                        try {
                            cycle(b, started);
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            System.err.println("# parallel copy failed: " + e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        int survivors = settle(started);
        report.note("parallel: " + copies + " copies of one topology (half named, half ephemeral), " + rounds
                + " rounds started together; failed applies/closes " + failures.get()
                + "; processes alive 1 s after close() " + survivors + " (then killed by the workload)");
    }

    /**
     * Open fds and live threads of this JVM, without the JDK's idle "process reaper" threads: it
     * keeps one per process it started for 60 s after the process ended (a cache, not a leak).
     */
    private static long[] sample() {
        String[] fds = new File("/proc/self/fd").list();
        long threads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.getName().equals("process reaper"))
                .count();
        return new long[] {fds == null ? -1 : fds.length, threads};
    }
}
