package io.github.netvirt.bench;

import io.github.netvirt.bench.chaos.ChaosBench;
import io.github.netvirt.bench.cold.ColdBench;
import io.github.netvirt.bench.memory.MemoryBench;
import io.github.netvirt.bench.profile.ProfileBench;
import io.github.netvirt.bench.stress.NamespaceStress;
import io.github.netvirt.bench.tap.TapBench;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar netvirt-bench.jar seed|star N[,N...]|cold|tap|memory|profile|chaos|nsstress [--runs R] [--warmup W]
 * [--systems a,b] [--seconds S] [--uses U] [--kills K] [--cycles C] [--copies P] [--forks F]}: runs one workload against netvirt
 * and its peers in the same run and prints
 * {@code result}/{@code ratio} lines (see {@link Report}).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int rc;
        try {
            rc = run(args, System.out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            rc = 2;
        } catch (Exception e) {
            e.printStackTrace();
            rc = 1;
        } finally {
            Cleanup.runAll();
        }
        System.exit(rc);
    }

    public static int run(String[] argv, PrintStream out) throws Exception {
        Options o = Options.parse(argv);
        Report report = new Report(out);
        report.note("netvirt-bench " + String.join(" ", argv));
        report.note("machine: nproc=" + Runtime.getRuntime().availableProcessors() + " kernel="
                + System.getProperty("os.version") + " jdk=" + System.getProperty("java.vm.name") + " "
                + Runtime.version() + " loadavg=" + Machine.loadavg());
        if (o.forks > 1
                && !o.workload.equals("seed")
                && !(o.workload.equals("star") && o.sizes.size() == 1 && o.sizes.get(0) < StarBench.QUIET_DOWN_FROM)) {
            throw new IllegalArgumentException("--forks is for the seed workload, and the star at one size below "
                    + StarBench.QUIET_DOWN_FROM + " (--sizes N)\n" + Options.USAGE);
        }
        if (o.workload.equals("nsstress")) {
            nsStress(o, report);
            return 0;
        }
        String warm = " in-process in a warm JVM (after " + o.warmup + " warm-up round(s)); the peers' are"
                + " whole-process wall time, as a user runs them (measured in the first " + o.peerRuns() + " round(s))";
        Workload w = switch (o.workload) {
            case "seed" -> {
                report.note("netvirt's times are" + warm);
                yield new SeedBench(o, report);
            }
            case "star" -> {
                report.note("netvirt's and the floor's times are" + warm);
                yield new StarBench(o, report);
            }
            case "cold" -> {
                report.note(
                        "netvirt-cold*: a fresh JVM per run (" + Runtime.version() + "), timed from outside as a whole"
                                + " process and from inside for its first apply; netvirt: the warm apply in this JVM (after "
                                + o.warmup + " warm-up round(s)); the peers: up plus down, whole processes");
                yield new ColdBench(o, report);
            }
            case "tap" -> {
                report.note("netvirt's rates are in-process in a warm JVM (after a warm-up measurement);"
                        + " the C peer's are peers/tap-peer.c's own, a fresh process per run");
                yield new TapBench(o, report);
            }
            case "profile" -> new ProfileBench(o, report);
            case "memory" -> new MemoryBench(o, report);
            case "chaos" -> new ChaosBench(o, report);
            default -> throw new IllegalArgumentException("unknown workload " + o.workload + "\n" + Options.USAGE);
        };
        w.run();
        return 0;
    }

    /** Namespace handles opened, used and closed concurrently; prints the outcome counts (RELIABILITY.md). */
    private static void nsStress(Options o, Report report) throws Exception {
        report.note(o.uses + " uses per round by " + NamespaceStress.THREADS
                + " threads over " + NamespaceStress.NAMESPACES
                + " named namespaces, half of the handles closed by another thread during the use");
        for (int r = 1; r <= o.runs; r++) {
            NamespaceStress s = new NamespaceStress("bns-" + o.token + "-" + r);
            Cleanup.register(s::tearDown);
            s.setUp();
            try {
                NamespaceStress.Result res = s.run(o.uses);
                for (NamespaceStress.Use u : NamespaceStress.Use.values()) {
                    report.line("nsstress round=" + r, res.line(u));
                }
                report.line("nsstress round=" + r, res.summary());
                res.samples().forEach(x -> report.note("sample " + x));
            } finally {
                s.tearDown();
            }
        }
    }

    /** Command-line options. */
    public static final class Options {
        static final String USAGE = "usage: netvirt-bench seed|star N[,N...]|cold|tap|memory|profile|chaos|nsstress"
                + " [--runs R] [--warmup W] [--peer-runs P] [--quiet-runs Q] [--systems a,b,...] [--seconds S]"
                + " [--uses U] [--kills K] [--forks F]"
                + " [--cycles C] [--copies P]";
        public String workload;
        public final List<Integer> sizes = new ArrayList<>();
        public int runs = 5;
        public int warmup = 1;
        /** Measured rounds that include the whole-process peers; by default all. */
        public int peerRuns = -1;
        /** star from 1000 hosts: rounds of the downs on a quiet kernel; by default the peers' rounds. */
        public int quietRuns = -1;

        public double seconds = 2;
        /** Uses per round of the nsstress workload. */
        public int uses = 10_000;

        public List<String> systems;
        /** JVMs to measure the rounds in, one after another ({@link Forks}); 1: this one. */
        public int forks = 1;
        /** In a child of a forked run: where to write its samples. */
        public String forkOut;
        /** The arguments as given. */
        public List<String> argv = List.of();
        /** chaos: JVMs killed with -9, apply/close cycles in one JVM, parallel copies of one topology. */
        public int kills = 50;

        public int cycles = 1000;
        public int copies = 16;
        /** Short, unique per process: namespace names are ours alone, peers' get "bnp-" in front. */
        public String token = Long.toString(ProcessHandle.current().pid() % 46656, 36);

        static Options parse(String[] a) {
            Options o = new Options();
            if (a.length == 0) {
                throw new IllegalArgumentException(USAGE);
            }
            o.argv = List.of(a);
            o.workload = a[0].toLowerCase(Locale.ROOT);
            int i = 1;
            if (o.workload.equals("star")) {
                if (a.length < 2) {
                    throw new IllegalArgumentException("star needs N\n" + USAGE);
                }
                for (String s : a[1].split(",")) {
                    int n = positive("N", s);
                    if (n > 5000) {
                        throw new IllegalArgumentException("N must be at most 5000: " + s);
                    }
                    o.sizes.add(n);
                }
                i = 2;
            }
            for (; i < a.length; i++) {
                String opt = a[i];
                if (i + 1 >= a.length) {
                    throw new IllegalArgumentException(opt + " needs a value\n" + USAGE);
                }
                String v = a[++i];
                switch (opt) {
                    case "--runs" -> o.runs = positive("--runs", v);
                    case "--warmup" -> o.warmup = nonNegative("--warmup", v);
                    case "--peer-runs" -> o.peerRuns = positive("--peer-runs", v);
                    case "--quiet-runs" -> o.quietRuns = positive("--quiet-runs", v);
                    case "--seconds" -> o.seconds = Double.parseDouble(v);
                    case "--uses" -> o.uses = positive("--uses", v);
                    case "--systems" -> o.systems = List.of(v.split(","));
                    case "--kills" -> o.kills = nonNegative("--kills", v);
                    case "--cycles" -> o.cycles = nonNegative("--cycles", v);
                    case "--copies" -> o.copies = positive("--copies", v);
                    case "--forks" -> o.forks = positive("--forks", v);
                    case "--fork-out" -> o.forkOut = v;
                    default -> throw new IllegalArgumentException("unknown option " + opt + "\n" + USAGE);
                }
            }
            return o;
        }

        public int peerRuns() {
            return peerRuns < 0 ? runs : Math.min(peerRuns, runs);
        }

        public int quietRuns() {
            return quietRuns < 0 ? peerRuns() : quietRuns;
        }

        public boolean wants(String system) {
            return systems == null || systems.contains(system);
        }

        private static int positive(String what, String v) {
            int n = nonNegative(what, v);
            if (n == 0) {
                throw new IllegalArgumentException(what + " must be positive: " + v);
            }
            return n;
        }

        private static int nonNegative(String what, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + " must be a non-negative number: " + v);
            }
        }
    }
}
