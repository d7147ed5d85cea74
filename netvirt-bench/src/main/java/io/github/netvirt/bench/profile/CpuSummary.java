package io.github.netvirt.bench.profile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a system's measured ups (netvirt's) spent the CPU, from {@link CpuProfiler}'s samples: {@code java -cp
 * netvirt-bench.jar io.github.netvirt.bench.profile.CpuSummary FILE [TOP]}. Per group of threads (the
 * calling thread, netvirt's switching threads, the C1 and C2 compilers, the others), milliseconds of
 * CPU per up, split by what ran: interpreted Java, C1- and C2-compiled Java, the kernel, and the JVM's
 * own and other native code. Then, on the calling thread and on the switching threads, the netvirt
 * methods whose Java (theirs and the JDK's they called, not the kernel) took the most CPU, each sample
 * counted to the deepest netvirt frame on its stack; and the calling thread's CPU outside the kernel
 * by the path of netvirt frames it ran under ({@link CallTree}). The profiler's own work (resumed and paused around
 * each up) is left out.
 */
public final class CpuSummary {
    static final String CALLER = "calling thread";
    static final String SWITCHING = "switching threads";
    static final List<String> GROUPS = List.of(CALLER, SWITCHING, "C1 compiler", "C2 compiler", "other threads");
    static final List<String> KINDS = List.of("interpreted", "C1", "C2", "kernel", "JVM and native");
    /** {@link CpuProfiler}'s frames: its calls into the profiler, reflective, run interpreted at first. */
    private static final String PROFILER = CpuProfiler.class.getName().replace('.', '/') + ".";
    /** The least CPU per up a path of the calling thread's needs to be printed. */
    private static final double MIN_PATH_MS = 0.02;

    /** CPU per up, by group and by kind (indexes into {@link #GROUPS}, {@link #KINDS}), in samples. */
    final long[][] samples = new long[GROUPS.size()][KINDS.size()];
    /** Samples of Java by the deepest netvirt method on the stack, per group (the first two). */
    final List<Map<String, Long>> methods = List.of(new HashMap<>(), new HashMap<>());
    /** The calling thread's samples outside the kernel by the path of netvirt frames they ran under. */
    final CallTree callerPaths = new CallTree();

    /** Adds a line of collapsed stacks ({@code [thread tid=N];frame;frame... COUNT}, frames annotated). */
    void add(String line) {
        int space = line.lastIndexOf(' ');
        if (space < 0 || !line.startsWith("[")) {
            return;
        }
        long count = Long.parseLong(line.substring(space + 1).trim());
        String[] frames = line.substring(0, space).split(";");
        for (String f : frames) {
            if (f.startsWith("one/profiler/") || f.startsWith(PROFILER)) {
                return; // the profiler resumed or paused
            }
        }
        int g = group(frames[0]);
        int k = kind(frames[frames.length - 1]);
        samples[g][k] += count;
        if (g < 2 && k != 3) {
            String deepest = null;
            for (int i = frames.length - 1; i > 0 && deepest == null; i--) {
                if (netvirtFrame(frames[i])) {
                    deepest = method(frames[i]);
                }
            }
            String where = deepest != null
                    ? deepest
                    : frames.length > 1 && frames[1].equals("[unknown]")
                            ? "(a stack not walked)"
                            : "(no netvirt frame)";
            methods.get(g).merge(where, count, Long::sum);
            if (g == 0) {
                callerPaths.add(frames, count);
            }
        }
    }

    /** The group of the thread named in {@code first}, {@code [NAME tid=N]}. */
    static int group(String first) {
        String name = first.substring(1, Math.max(1, first.lastIndexOf(" tid=")));
        if (name.equals("main")) {
            return 0;
        }
        if (name.startsWith("netvirt-switch-")) {
            return 1;
        }
        if (name.startsWith("C1 CompilerThre")) {
            return 2;
        }
        return name.startsWith("C2 CompilerThre") ? 3 : 4;
    }

    /** What ran in the frame that was on the CPU: async-profiler's annotation (its {@code ann} output). */
    static int kind(String leaf) {
        if (leaf.endsWith("_[0]")) {
            return 0;
        }
        if (leaf.endsWith("_[1]")) {
            return 1;
        }
        if (leaf.endsWith("_[j]") || leaf.endsWith("_[i]")) {
            return 2;
        }
        return leaf.endsWith("_[k]") ? 3 : 4;
    }

    /** Whether {@code frame} is netvirt's own (not the bench's). */
    static boolean netvirtFrame(String frame) {
        return frame.startsWith("io/github/netvirt/") && !frame.startsWith("io/github/netvirt/bench/");
    }

    /** {@code io/github/netvirt/core/Applier.runRounds_[0]} as {@code core.Applier.runRounds}. */
    static String method(String frame) {
        int ann = frame.lastIndexOf("_[");
        String m = ann < 0 ? frame : frame.substring(0, ann);
        return m.substring("io/github/netvirt/".length()).replace('/', '.');
    }

    void print(PrintStream out, int ups, int top) {
        double perUp = CpuProfiler.INTERVAL_MICROS / 1000.0 / ups;
        out.printf(
                "# cpu per up (ms; %d us samples over %d ups): total = %s%n",
                CpuProfiler.INTERVAL_MICROS, ups, String.join(" + ", KINDS));
        for (int g = 0; g < GROUPS.size(); g++) {
            long total = 0;
            List<String> parts = new ArrayList<>();
            for (int k = 0; k < KINDS.size(); k++) {
                total += samples[g][k];
                parts.add(format(samples[g][k] * perUp));
            }
            out.printf("%s: %s = %s%n", GROUPS.get(g), format(total * perUp), String.join(" + ", parts));
        }
        for (int g = 0; g < 2; g++) {
            out.printf(
                    "# %s: netvirt methods by their Java's CPU per up (theirs and the JDK's they called, to the deepest netvirt frame)%n",
                    GROUPS.get(g));
            Map<String, Long> m = methods.get(g);
            List<Map.Entry<String, Long>> sorted = new ArrayList<>(m.entrySet());
            sorted.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
            for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(top, sorted.size()))) {
                out.printf("%8s  %s%n", format(e.getValue() * perUp), e.getKey());
            }
        }
        long min = Math.max(1, Math.round(MIN_PATH_MS / perUp));
        out.printf(
                "# %s: CPU per up outside the kernel (Java and the JVM's work for it) by the path of netvirt frames"
                        + " it ran under (each frame with all below it; down to %s ms; a frame whose callee took nearly"
                        + " all of it shares its line)%n",
                CALLER, format(min * perUp));
        callerPaths.print(out, min, n -> format(n * perUp));
    }

    private static String format(double ms) {
        return String.format(Locale.ROOT, "%.3f", ms);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: CpuSummary FILE [TOP]   (FILE and FILE.ups from bench.cpuProfile)");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int ups = Integer.parseInt(Files.readString(Path.of(args[0] + ".ups")).trim());
        CpuSummary s = new CpuSummary();
        try (var lines = Files.lines(file)) {
            lines.forEach(s::add);
        }
        s.print(System.out, ups, args.length > 1 ? Integer.parseInt(args[1]) : 15);
    }
}
