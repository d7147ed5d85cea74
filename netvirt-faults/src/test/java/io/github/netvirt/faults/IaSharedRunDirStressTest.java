package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.CleanupReport;
import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Several JVMs share one run directory, each applying, verifying, holding and closing a topology in
 * a loop ({@link IaStressChild}), while this JVM kills them with SIGKILL at random moments, starts
 * replacements, and runs {@code Topology.cleanup()} itself and in short-lived JVMs, several at once:
 * a live topology never changes under its owner, a cleanup reports no error but "its owner is
 * running", and after a final cleanup nothing of ours is left. An audit run of minutes, skipped
 * unless asked for: {@code -Dia.kills=N} (the run ends after N kills) and optionally
 * {@code -Dia.children=5} (children at once), {@code -Dia.cleaners=3} (cleanup JVMs at once),
 * {@code -Dia.reuse=true} (a replacement takes the names of the one it replaces, as a program run
 * again after a crash); {@code cleanupsRacingOnTheSameDeadRecords} with {@code -Dia.kills=0
 * -Dia.rounds=15}. The log goes to {@code /tmp/iA/log-TOKEN.txt}.
 */
@RequiresRoot
class IaSharedRunDirStressTest {
    private final String tok = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
    private final String app = "iAapp" + tok;
    private final Path runDir = Path.of("/run/netvirt-iA-" + tok);
    private final Path log = Path.of("/tmp/iA/log-" + tok + ".txt");
    private final AtomicInteger seq = new AtomicInteger();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final java.util.Set<String> prefixes = ConcurrentHashMap.newKeySet();
    private String savedRunDir;

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue(System.getProperty("ia.kills") != null, "an audit run: -Dia.kills=N");
        Files.createDirectories(runDir);
        Files.createDirectories(log.getParent());
        Ip.ok("netns", "add", app);
        savedRunDir = System.getProperty("netvirt.run.dir");
        System.setProperty("netvirt.run.dir", runDir.toString());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (System.getProperty("ia.kills") == null) {
            return;
        }
        if (savedRunDir == null) {
            System.clearProperty("netvirt.run.dir");
        } else {
            System.setProperty("netvirt.run.dir", savedRunDir);
        }
        for (String l : leftovers()) { // reported by the test already: removed by hand here
            if (l.startsWith("process ")) {
                ProcessHandle.of(Long.parseLong(l.split(" ")[1])).ifPresent(ProcessHandle::destroyForcibly);
            } else if (l.startsWith("netns ")) {
                Ip.run("netns", "del", l.split(" ")[1]);
            } else if (l.startsWith("root link ")) {
                Ip.run("link", "del", l.split(" ")[2]);
            }
        }
        Ip.run("netns", "del", app);
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(runDir);
    }

    private void log(String s) {
        try {
            Files.writeString(
                    log,
                    System.currentTimeMillis() + " " + s + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private void problem(String s) {
        problems.add(s);
        log("PROBLEM " + s);
    }

    private void count(String k) {
        counts.merge(k, 1, Integer::sum);
    }

    /** A left-alone entry a cleanup may give while owners run and die: anything else is a finding. */
    private static boolean benign(String leftAlone) {
        return leftAlone.contains("its owner is running") || leftAlone.contains("could not prove");
    }

    private final class Child {
        final String prefix;
        final int mode;
        final Process process;
        final Thread reader;
        final boolean reaper;
        /** Names a killed one held: a name of it may still be taken when it applies. */
        final boolean reused;

        Child(int mode, boolean reaper) throws IOException {
            this(mode, reaper, "iA" + tok + Integer.toString(seq.incrementAndGet(), 36));
        }

        Child(int mode, boolean reaper, String prefix) throws IOException {
            this.prefix = prefix;
            this.reaper = reaper;
            this.reused = !prefixes.add(prefix);
            this.mode = mode;
            List<String> opts = new ArrayList<>(
                    List.of("-Dnetvirt.run.dir=" + runDir, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k"));
            if (!reaper) {
                opts.add("-Dnetvirt.reaper=false");
            }
            process = ChildJvm.start(opts, IaStressChild.class, prefix, app, Integer.toString(mode), "iA" + tok);
            process.getOutputStream().close();
            reader = new Thread(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        if (l.startsWith("OK ")) {
                            count("cycles verified");
                        } else if (l.startsWith("ERR ") && reused && !reaper && l.contains("already exists: EEXIST")) {
                            // its reaper off, a name of the one killed before it is still taken: documented
                            count("applies refused: a dead run's name still taken, reaper off");
                            log("child " + prefix + " (reaper off, names reused): " + l);
                        } else if (l.startsWith("FAIL ") || l.startsWith("ERR ")) {
                            problem("child " + prefix + " mode " + mode + ": " + l);
                        } else if (!l.isBlank()
                                && !l.contains("INFO: netvirt reaper")
                                && !l.matches("^[A-Z][a-z]{2} \\d\\d?, .*")) {
                            log("child " + prefix + " says " + l);
                        }
                    }
                } catch (IOException e) {
                    // killed
                }
            });
            reader.setDaemon(true);
            reader.start();
            log("started " + prefix + " mode " + mode + " reaper " + reaper + " pid " + process.pid());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
            reader.join(10_000);
            log("killed " + prefix);
        }
    }

    private void judge(String who, CleanupReport r) {
        count("cleanups " + who);
        for (String s : r.removed()) {
            count("removed");
            log(who + " removed " + s);
        }
        for (String s : r.leftAlone()) {
            if (!benign(s)) {
                problem(who + " cleanup left alone: " + s);
            }
        }
    }

    /** Runs IaCleanupChild with the run directory given as a JVM option (ChildJvm.run passes only args). */
    private List<String> cleanupJvmLines() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dnetvirt.run.dir=" + runDir,
                "-Dnetvirt.reaper=false",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC"));
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), IaCleanupChild.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(300, TimeUnit.SECONDS);
        return out.lines().toList();
    }

    private void judgeJvm(String who, List<String> lines) {
        count("cleanups " + who);
        if (!lines.contains("DONE")) {
            problem(who + " cleanup JVM did not finish: " + lines);
        }
        for (String l : lines) {
            if (l.startsWith("REMOVED ")) {
                count("removed");
                log(who + " removed " + l.substring(8));
            } else if (l.startsWith("LEFT ")) {
                if (!benign(l)) {
                    problem(who + " cleanup left alone: " + l.substring(5));
                }
            } else if (l.startsWith("EXC ")) {
                problem(who + " cleanup threw: " + l.substring(4));
            } else if (!l.equals("DONE")
                    && !l.isBlank()
                    && !l.contains("INFO: removed")
                    && !l.matches("^[A-Z][a-z]{2} \\d\\d?, .*")) {
                log(who + " says " + l);
            }
        }
    }

    private List<String> leftovers() throws IOException {
        List<String> left = new ArrayList<>();
        String p = "iA" + tok;
        for (String l : Ip.exec(List.of("ip", "netns", "list")).out().split("\n")) {
            if (l.startsWith(p) && !l.startsWith(app)) {
                left.add("netns " + l);
            }
        }
        for (String l : Ip.exec(List.of("ip", "-o", "link", "show")).out().split("\n")) {
            String[] f = l.split(":? +");
            if (f.length > 1 && f[1].startsWith(p)) {
                left.add("root link " + f[1].replaceAll("@.*", "") + " " + l);
            }
        }
        for (String l :
                Ip.exec(List.of("ip", "-n", app, "-o", "link", "show")).out().split("\n")) {
            if (l.contains(" " + p)) {
                left.add("app link " + l);
            }
        }
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path d : procs.filter(d -> d.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String env = new String(Files.readAllBytes(d.resolve("environ")), StandardCharsets.UTF_8);
                    if (env.contains("NETVIRT_IA=" + p)) {
                        left.add("process " + d.getFileName() + " "
                                + Files.readString(d.resolve("comm")).strip());
                    }
                } catch (IOException gone) {
                    // ended meanwhile
                }
            }
        }
        try (Stream<Path> files = Files.list(runDir)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals(".lock")) {
                    left.add("record " + f.getFileName() + ": "
                            + Files.readString(f).replace('\n', '|'));
                }
            }
        }
        return left;
    }

    private static final int[] MODES = {7, 2, 5, 6, 3, 1};

    @Test
    void liveTopologiesOutliveOthersCleanups() throws Exception {
        int kills = Integer.getInteger("ia.kills", 300);
        int n = Integer.getInteger("ia.children", 5);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        List<Child> children = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            children.add(new Child(MODES[i % MODES.length], i % 3 != 1));
        }
        AtomicBoolean stop = new AtomicBoolean();
        Thread inProcess = new Thread(() -> {
            while (!stop.get()) {
                try {
                    judge("in-process", Topology.cleanup());
                } catch (Throwable e) {
                    problem("in-process cleanup threw: " + e);
                }
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(300));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        List<Thread> cleaners = new ArrayList<>(List.of(inProcess));
        for (int c = 0; c < Integer.getInteger("ia.cleaners", 3); c++) {
            String who = "jvm" + c;
            cleaners.add(new Thread(() -> {
                while (!stop.get()) {
                    try {
                        judgeJvm(who, cleanupJvmLines());
                    } catch (Throwable e) {
                        problem(who + " cleanup JVM failed: " + e);
                    }
                }
            }));
        }
        cleaners.forEach(Thread::start);
        long t0 = System.nanoTime();
        for (int k = 0; k < kills; k++) {
            Thread.sleep(200 + rnd.nextInt(2300));
            int i = rnd.nextInt(children.size());
            Child c = children.get(i);
            c.kill();
            count("kills");
            if (!c.process.isAlive() && c.process.exitValue() != 137) {
                problem("child " + c.prefix + " ended by itself, exit " + c.process.exitValue());
            }
            // -Dia.reuse: the replacement takes the names of the one killed, as a program run again after a crash
            children.set(
                    i,
                    Boolean.getBoolean("ia.reuse")
                            ? new Child(c.mode, rnd.nextBoolean(), c.prefix)
                            : new Child(c.mode, rnd.nextBoolean()));
            if (k % 10 == 0) {
                log("progress kills " + k + " counts " + counts + " after " + (System.nanoTime() - t0) / 1_000_000_000
                        + " s");
            }
        }
        for (Child c : children) {
            c.kill();
        }
        stop.set(true);
        for (Thread t : cleaners) {
            t.join(600_000);
        }
        judge("final", Topology.cleanup());
        judgeJvm("final-jvm", cleanupJvmLines());
        List<String> left = leftovers();
        for (String l : left) {
            problem("left after the end: " + l);
        }
        log("end counts " + counts + " problems " + problems.size());
        System.out.println("counts " + counts);
        assertThat(problems).as("counts %s", counts).isEmpty();
    }

    @Test
    void cleanupsRacingOnTheSameDeadRecords() throws Exception {
        int rounds = Integer.getInteger("ia.rounds", 15);
        for (int round = 0; round < rounds; round++) {
            List<Child> children = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                children.add(new Child(MODES[i], false));
            }
            // let each reach its loop: a record with something in it
            Thread.sleep(4000 + ThreadLocalRandom.current().nextInt(2000));
            for (Child c : children) {
                c.kill();
            }
            List<Thread> racers = new ArrayList<>();
            for (int j = 0; j < 3; j++) {
                String who = "race" + j;
                racers.add(new Thread(() -> {
                    try {
                        judgeJvm(who, cleanupJvmLines());
                    } catch (Throwable e) {
                        problem(who + " failed: " + e);
                    }
                }));
            }
            racers.add(new Thread(() -> judge("race-in-process", Topology.cleanup())));
            racers.add(new Thread(() -> judge("race-in-process2", Topology.cleanup())));
            racers.forEach(Thread::start);
            for (Thread t : racers) {
                t.join(600_000);
            }
            List<String> left = leftovers();
            for (String l : left) {
                problem("round " + round + " left after racing cleanups: " + l);
            }
            log("round " + round + " counts " + counts);
            if (!left.isEmpty()) {
                tearDownLeft(left);
            }
        }
        System.out.println("counts " + counts);
        assertThat(problems).as("counts %s", counts).isEmpty();
    }

    private void tearDownLeft(List<String> left) {
        for (String l : left) {
            if (l.startsWith("process ")) {
                ProcessHandle.of(Long.parseLong(l.split(" ")[1])).ifPresent(ProcessHandle::destroyForcibly);
            } else if (l.startsWith("netns ")) {
                Ip.run("netns", "del", l.split(" ")[1]);
            } else if (l.startsWith("root link ")) {
                Ip.run("link", "del", l.split(" ")[2]);
            }
        }
    }
}
