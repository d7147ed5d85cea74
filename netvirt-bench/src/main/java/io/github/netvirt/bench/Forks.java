package io.github.netvirt.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A workload's rounds measured in several JVMs, one after another ({@code --forks K}), as JMH forks:
 * what the JIT has compiled after a few warm-up rounds, and when it compiles the rest, differs from
 * one JVM to the next and moves every round of that JVM together, so one JVM's rounds say little
 * about the next one's. The parent JVM measures nothing: it starts each child with its own JVM's
 * options and the same arguments ({@code --fork-out FILE} in place of {@code --forks K}), the child
 * measures as a run without forks does and writes its samples and phases to {@code FILE}, and the
 * parent joins them, one group per child ({@link Stats#groups}), for the workload to report as it
 * reports one run's. Each child's target lines are noted on one line as it ends.
 */
final class Forks {
    private final int forks;
    private final Path out;
    private final List<String> argv;

    private Forks(int forks, Path out, List<String> argv) {
        this.forks = forks;
        this.out = out;
        this.argv = argv;
    }

    /** The forks {@code o} asks for, or null when it measures in this JVM alone. */
    static Forks of(Main.Options o) {
        if (o.forkOut != null) {
            return new Forks(1, Path.of(o.forkOut), List.of());
        }
        return o.forks > 1 ? new Forks(o.forks, null, o.argv) : null;
    }

    /** Whether this JVM is a child that writes its samples for a parent. */
    boolean child() {
        return out != null;
    }

    /**
     * {@code argv} with {@code --forks K} replaced by {@code --fork-out file}: what a child runs.
     */
    static List<String> childArgs(List<String> argv, Path file) {
        List<String> a = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).equals("--forks") && i + 1 < argv.size()) {
                i++;
                continue;
            }
            a.add(argv.get(i));
        }
        a.add("--fork-out");
        a.add(file.toString());
        return a;
    }

    /**
     * Runs the {@code forks} children in turn and joins what they measured of {@code systems}, one
     * group per child; their phases go to each system's {@link Topo#phases()}.
     */
    Map<String, Stats[]> measure(List<Topo> systems, Report report) throws Exception {
        report.note("forks: " + forks + " JVMs, one after another, each with the warm-up and rounds above; the"
                + " lines below join their rounds, and a per-round median and its interval are of the JVMs'"
                + " medians");
        Map<String, Stats[]> joined = new LinkedHashMap<>();
        for (Topo t : systems) {
            joined.put(t.system(), Harness.newStats());
        }
        Path dir = Files.createTempDirectory("netvirt-bench-forks");
        Runnable removeDir = () -> removeQuietly(dir);
        Cleanup.register(removeDir); // stopped by a signal: the finally below does not run
        boolean failed = true;
        try {
            for (int f = 1; f <= forks; f++) {
                Path file = dir.resolve("fork-" + f + ".samples");
                Path log = dir.resolve("fork-" + f + ".out");
                runChild(file, log);
                StringJoiner targets = new StringJoiner("; ");
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    if (line.startsWith("# target ")) {
                        targets.add(line.substring("# target ".length()));
                    }
                }
                report.note("fork " + f + "/" + forks + " targets: " + targets);
                read(Files.readAllLines(file, StandardCharsets.UTF_8), joined, systems);
            }
            failed = false;
        } finally {
            Cleanup.unregister(removeDir);
            if (failed) {
                System.err.println("# forks: the children's outputs are kept in " + dir);
            } else {
                removeQuietly(dir);
            }
        }
        // a system no child measured (a peer each child found missing) is no system of the run
        joined.values().removeIf(s -> s[0].count() == 0);
        return joined;
    }

    private static void removeQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("# forks: cannot remove " + dir + ": " + e);
        }
    }

    /**
     * The command that runs a child: this JVM's options, but for those of {@code JAVA_TOOL_OPTIONS}
     * and {@code JDK_JAVA_OPTIONS} (the child reads the variables itself) and a debugger's agent
     * (its port is this JVM's). Options that name a file (a log, a recording) name the same one.
     */
    static List<String> childCommand(List<String> jvmOptions, String fromEnvironment, Path file, List<String> argv) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> inherited = fromEnvironment == null
                ? List.of()
                : List.of(fromEnvironment.trim().split("\\s+"));
        boolean nativeAccess = false;
        for (String o : jvmOptions) {
            if (inherited.contains(o) || o.startsWith("-agentlib:jdwp") || o.startsWith("-Xrunjdwp")) {
                continue;
            }
            nativeAccess |= o.startsWith("--enable-native-access");
            cmd.add(o);
        }
        if (!nativeAccess && Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // what the jar's manifest says, read only by -jar
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(childArgs(argv, file));
        return cmd;
    }

    private void runChild(Path file, Path log) throws IOException, InterruptedException {
        String env = String.join(
                " ",
                System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", ""),
                System.getenv().getOrDefault("JDK_JAVA_OPTIONS", ""));
        List<String> cmd = childCommand(ManagementFactory.getRuntimeMXBean().getInputArguments(), env, file, argv);
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Runnable stop = () -> end(p); // the parent stopped early: the child cleans up as it ends
        Cleanup.register(stop);
        try {
            if (!p.waitFor(1, TimeUnit.HOURS)) {
                end(p);
                throw new IOException("a fork ran for an hour: " + String.join(" ", cmd));
            }
        } finally {
            Cleanup.unregister(stop);
        }
        if (p.exitValue() != 0 || !Files.exists(file)) {
            List<String> tail = Files.readAllLines(log, StandardCharsets.UTF_8);
            throw new IOException("fork exited with " + p.exitValue() + ": " + String.join(" ", cmd) + "\n"
                    + String.join("\n", tail.subList(Math.max(0, tail.size() - 20), tail.size())));
        }
    }

    /** Stops a child and waits for it: its shutdown hook removes what it made before the next workload starts. */
    private static void end(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** In a child: writes what it measured of {@code systems} for the parent. */
    void write(Map<String, Stats[]> measured, List<Topo> systems) throws IOException {
        Files.write(out, lines(measured, systems), StandardCharsets.UTF_8);
    }

    /**
     * The samples as lines: {@code stats SYSTEM INDEX v1 v2 ...} per statistic, then
     * {@code phases SYSTEM phase=ms phase=ms ...} per kept run, in order.
     */
    static List<String> lines(Map<String, Stats[]> measured, List<Topo> systems) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Stats[]> e : measured.entrySet()) {
            Stats[] s = e.getValue();
            for (int i = 0; i < s.length; i++) {
                StringBuilder b = new StringBuilder("stats ")
                        .append(e.getKey())
                        .append(' ')
                        .append(i);
                for (double v : s[i].samples()) {
                    b.append(' ').append(v);
                }
                lines.add(b.toString());
            }
        }
        for (Topo t : systems) {
            if (t.phases() == null) {
                continue;
            }
            for (Map<String, Double> run : t.phases().runs()) {
                StringBuilder b = new StringBuilder("phases ").append(t.system());
                run.forEach(
                        (phase, ms) -> b.append(' ').append(phase).append('=').append(ms));
                lines.add(b.toString());
            }
        }
        return lines;
    }

    /** Adds a child's {@link #lines} to {@code joined} and to the phases of {@code systems}, as one more group. */
    static void read(List<String> lines, Map<String, Stats[]> joined, List<Topo> systems) {
        Map<String, Phases> phases = new LinkedHashMap<>();
        for (Topo t : systems) {
            if (t.phases() != null) {
                phases.put(t.system(), t.phases());
            }
        }
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f[0].equals("stats")) {
                Stats[] s = joined.get(f[1]);
                if (s == null) {
                    throw new IllegalStateException("a fork measured a system this run does not have: " + f[1]);
                }
                Stats into = s[Integer.parseInt(f[2])];
                for (int i = 3; i < f.length; i++) {
                    into.add(Double.parseDouble(f[i]));
                }
            } else if (f[0].equals("phases") && phases.containsKey(f[1])) {
                Map<String, Double> run = new LinkedHashMap<>();
                for (int i = 2; i < f.length; i++) {
                    int eq = f[i].lastIndexOf('=');
                    run.put(f[i].substring(0, eq), Double.parseDouble(f[i].substring(eq + 1)));
                }
                phases.get(f[1]).add(run);
            }
        }
        for (Stats[] s : joined.values()) {
            for (Stats one : s) {
                one.endGroup();
            }
        }
    }
}
