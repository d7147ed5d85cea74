package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.JvmThreads;
import io.github.netvirt.netns.testing.OpenFds;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Processes started inside a namespace: where they run, and that they end with their handle and the JVM. */
@RequiresRoot
class ProcessesTest {

    /**
     * A process of the JVM's own namespace gets a fresh {@code /sys} too: sysfs mounted straight over
     * the machine's {@code /sys} of that same namespace is refused (EBUSY), so the wrapper must not
     * fail there.
     */
    @Test
    void anInterruptedExecEndsItsProcess() throws Exception {
        String marker = "37.7" + ProcessHandle.current().pid() % 1000;
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread t = new Thread(() -> {
                try {
                    // stdout and stderr closed at once: exec waits in waitFor(), where an interrupt lands
                    ns.exec("sh", "-c", "exec >&- 2>&-; exec sleep " + marker);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            t.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sleeping(marker).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sleeping(marker)).as("the command started").isNotEmpty();
            Thread.sleep(200); // into waitFor()
            t.interrupt();
            t.join(5000);
            assertThat(interrupted).isTrue();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (!sleeping(marker).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sleeping(marker))
                    .as("the interrupted exec's process, ended")
                    .isEmpty();
        }
    }

    /**
     * An exec whose command keeps its stdout open: the interrupt must reach it while the output is
     * read (a blocking read of a pipe ignores interrupts), end the command at once, and leave no
     * reader thread and no pipe behind.
     */
    @Test
    void anExecInterruptedWhileItReadsTheOutputEndsItsProcessAtOnce() throws Exception {
        String marker = "38.7" + ProcessHandle.current().pid() % 1000;
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            ns.exec("true"); // the launcher and its threads, started once
            OpenFds fds = OpenFds.now();
            AtomicBoolean interrupted = new AtomicBoolean();
            AtomicLong thrownAt = new AtomicLong();
            Thread t = new Thread(() -> {
                try {
                    ns.exec("sleep", marker);
                } catch (InterruptedException e) {
                    thrownAt.set(System.nanoTime());
                    interrupted.set(true);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            t.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // sleep itself, not the wrapper whose command line ends the same way: start() has returned
            while (sleeping(marker).stream().noneMatch(h -> exeOf(h.pid()).endsWith("/sleep"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(sleeping(marker))
                    .as("the command started")
                    .anyMatch(h -> exeOf(h.pid()).endsWith("/sleep"));
            Thread.sleep(200); // into the read of its stdout
            long interruptAt = System.nanoTime();
            t.interrupt();
            t.join(10_000);
            assertThat(interrupted)
                    .as("exec threw InterruptedException within 10 s")
                    .isTrue();
            // before: thrown when the command exited, 38.7 s later
            assertThat(TimeUnit.NANOSECONDS.toMillis(thrownAt.get() - interruptAt))
                    .as("ms from the interrupt to the InterruptedException")
                    .isLessThan(5000);
            assertThat(sleeping(marker)).as("the interrupted exec's process").isEmpty();
            assertThat(Thread.getAllStackTraces().keySet().stream()
                            .filter(r -> r.getName().startsWith("netvirt-exec-"))
                            .toList())
                    .as("exec's reader threads")
                    .isEmpty();
            fds.awaitNoneLeaked("an interrupted exec", 5);
        }
    }

    /** The processes whose command line is {@code sleep MARKER}. */
    private static List<ProcessHandle> sleeping(String marker) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().orElse("").endsWith("sleep " + marker))
                .toList();
    }

    @Test
    void aProcessOfTheJvmsNamespaceRunsWithItsSys() throws Exception {
        try (NetNamespace root = NetNamespace.root()) {
            ExecResult r = root.exec("ls", "/sys/class/net");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout().split("\\s+")).contains("lo");
        }
    }

    /**
     * A handle on the namespace the JVM is in (the child starts there): {@code start()} must still
     * keep the fd open until nsenter has opened it, or the number is another namespace's by then.
     */
    @Test
    void aDetachedProcessOfTheJvmsNamespaceRunsThereWhenTheHandleClosesAtOnce() throws Exception {
        try (NetNamespace other = NetNamespace.ephemeral()) {
            String home = NetNamespace.currentThreadId();
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                NetNamespace root = NetNamespace.root();
                Process p = root.startDetached(new ProcessBuilder("sleep", "100"));
                root.close();
                NetNamespace reused = other.reopen(); // takes the lowest free fd: the one just closed
                try {
                    while (p.isAlive() && !exeOf(p.pid()).endsWith("/sleep")) {
                        Thread.sleep(1);
                    }
                    String seen = p.isAlive()
                            ? nsOf(p.pid())
                            : "exited " + p.waitFor() + ": "
                                    + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    if (!home.equals(seen)) {
                        mismatches.add(i + ": " + seen + " instead of " + home);
                    }
                } finally {
                    p.destroyForcibly().waitFor();
                    reused.close();
                }
            }
            assertThat(mismatches)
                    .as("detached processes not in the JVM's namespace")
                    .isEmpty();
        }
    }

    /**
     * {@code start()} returns only once the child is inside its namespace, even when the handle is
     * closed right after and other threads open and close namespaces meanwhile (fd numbers are reused).
     */
    @Test
    void startReturnsOnceTheProcessIsInsideEvenWhenTheHandleClosesAtOnce() throws Exception {
        int targets = 4;
        String base = TestNames.unique("nvpr");
        List<String> names = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService churn = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < targets; i++) {
                names.add(base + "-" + i);
                try (NetNamespace ns = NetNamespace.create(names.get(i))) {
                    ids.add(ns.id());
                }
            }
            List<Future<?>> churners = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                churners.add(churn.submit(() -> {
                    while (!stop.get()) {
                        for (String n : names) {
                            NetNamespace.open(n).close();
                        }
                    }
                    return null;
                }));
            }
            List<String> mismatches = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int k = i % targets;
                Process p;
                String seen;
                try (NetNamespace ns = NetNamespace.open(names.get(k))) {
                    p = ns.start(new ProcessBuilder("sleep", "100"));
                    seen = nsOf(p.pid());
                }
                p.destroyForcibly().waitFor();
                if (!ids.get(k).equals(seen)) {
                    mismatches.add(i + ": " + seen + " instead of " + ids.get(k));
                }
            }
            stop.set(true);
            for (Future<?> f : churners) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(mismatches)
                    .as("processes not inside their namespace when start() returned")
                    .isEmpty();
        } finally {
            stop.set(true);
            churn.shutdown();
            churn.awaitTermination(30, TimeUnit.SECONDS);
            for (String n : names) {
                Ip.run("netns", "del", n);
            }
        }
    }

    @Test
    void closeEndsTheProcessesAndTheirDescendantsAndKillsThoseThatIgnoreSigterm() throws Exception {
        NetNamespace ns = NetNamespace.ephemeral();
        List<ProcessHandle> all = new ArrayList<>();
        try {
            Process polite = ns.start(new ProcessBuilder("sh", "-c", "sleep 1000 & sleep 1000 & wait"));
            Process stubborn = ns.start(new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 1000 & wait; sleep 1000"));
            all.add(polite.toHandle());
            all.add(stubborn.toHandle());
            awaitChildren(polite, 2);
            awaitChildren(stubborn, 1);
            polite.descendants().forEach(all::add);
            stubborn.descendants().forEach(all::add);
            assertThat(all).hasSize(5);
            assertThat(ns.processes()).containsExactly(polite.toHandle(), stubborn.toHandle());
            ns.close();
            // orphans that died are zombies until init reaps them: dead all the same
            assertThat(all).as("still alive after close()").allMatch(ProcessesTest::dead);
            assertThat(polite.exitValue()).isEqualTo(143);
            assertThat(stubborn.exitValue()).isEqualTo(137);
        } finally {
            ns.close();
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Each process close() ends is held by a pidfd from the moment it is found: every one is closed
     * again, those of the processes that went with SIGTERM, with SIGKILL, and of the descendants.
     */
    @Test
    void closeLeavesNoPidfdOpen() throws Exception {
        try (NetNamespace warm = NetNamespace.ephemeral()) { // the classes and jars the ending loads
            Process p = warm.start(new ProcessBuilder("sh", "-c", "sleep 1000 & wait"));
            awaitChildren(p, 1);
        }
        OpenFds before = OpenFds.now();
        long pidfds = pidfds();
        NetNamespace ns = NetNamespace.ephemeral();
        try {
            Process polite = ns.start(new ProcessBuilder("sh", "-c", "sleep 1000 & sleep 1000 & wait"));
            Process stubborn = ns.start(new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 1000 & wait; sleep 1000"));
            awaitChildren(polite, 2);
            awaitChildren(stubborn, 1);
            ns.close();
            assertThat(stubborn.exitValue()).as("killed").isEqualTo(137);
        } finally {
            ns.close();
        }
        assertThat(pidfds()).as("pidfds open").isEqualTo(pidfds);
        before.awaitNoneLeaked("close()", 10);
    }

    private static long pidfds() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).toString().contains("pidfd");
                        } catch (IOException closed) {
                            return false; // the listing's own descriptor
                        }
                    })
                    .count();
        }
    }

    /**
     * A descendant that outlives the started process (here it forks a helper when SIGTERM comes, as
     * a daemon does for its shutdown) must still have what it forks during the grace period killed,
     * though the started process, the root of the tree, is gone by then.
     */
    @Test
    void closeKillsWhatADescendantForksDuringTheGracePeriodAfterTheStartedProcessExited() throws Exception {
        // a shell starved of CPU for the whole grace period never runs its trap: that round proves
        // nothing and is run again, but a helper forked then must still be dead
        for (int round = 0; round < 3; round++) {
            if (helperForkedDuringTheGracePeriodIsKilled(round)) {
                return;
            }
        }
        throw new AssertionError("the shell ran its SIGTERM trap within the grace period in none of 3 rounds");
    }

    @Test
    void closeKillsWhatAProcessForksUpToItsOwnSigkill() throws Exception {
        String marker = "39.8" + ProcessHandle.current().pid() % 1000;
        // from its SIGTERM on, the shell forks one helper after another, the last ones while close()
        // collects what to SIGKILL and sends it
        AfterClose r = afterClose(
                marker,
                "trap 'while :; do sleep " + marker + " & sleep 0.005; done' TERM; while :; do sleep 0.05; done",
                p -> awaitChildren(p, 1));
        assertThat(r.started().isAlive()).isFalse();
        // before: 1-3 helpers forked between the last look for descendants and the shell's SIGKILL
        // lived on, children of init
        assertThat(r.alive()).as("helpers alive after close()").isEmpty();
    }

    @Test
    void closeKillsTheChildOfAForkTheStopFoundUnderWay() throws Exception {
        String marker = "39.6" + ProcessHandle.current().pid() % 1000;
        int shells = 30;
        // from 0.9 s after its SIGTERM on, each shell forks helpers back to back: when close() stops
        // it, it is often inside fork(), which the stop does not interrupt
        AfterClose r = afterClose(
                marker,
                "for i in $(seq " + shells + "); do sh -c \"trap 'sleep 0.9; while :; do sleep " + marker
                        + " & done' TERM; while :; do sleep 0.05; done\" & done; wait",
                p -> Thread.sleep(500));
        assertThat(r.alive()).as("helpers alive after close()").isEmpty();
    }

    /** What {@link #afterClose} started, and the pids of its helpers ({@code sleep MARKER}) alive after close(). */
    private record AfterClose(Process started, List<Long> alive) {}

    private interface Settle {
        void await(Process started) throws Exception;
    }

    /**
     * Starts {@code script} with sh in a new namespace, lets it {@code settle}, closes the namespace,
     * and tells what outlived the close; every helper still there is then killed.
     */
    private static AfterClose afterClose(String marker, String script, Settle settle) throws Exception {
        NetNamespace ns = NetNamespace.ephemeral();
        try {
            Process p = ns.start(new ProcessBuilder("sh", "-c", script)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD));
            settle.await(p);
            ns.close();
            return new AfterClose(
                    p,
                    sleeping(marker).stream()
                            .filter(h -> !dead(h))
                            .map(ProcessHandle::pid)
                            .toList());
        } finally {
            ns.close();
            sleeping(marker).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** One round: false if the helper was never forked (the pid file is empty and no helper runs). */
    private static boolean helperForkedDuringTheGracePeriodIsKilled(int round) throws Exception {
        String marker = "39.7" + ProcessHandle.current().pid() % 1000 + round;
        Path pidFile = Files.createTempFile("netvirt-helper", ".pid");
        NetNamespace ns = NetNamespace.ephemeral();
        ProcessHandle helper = null;
        try {
            // no pipes: the JVM closes its ends once the started process exits (a write would SIGPIPE)
            Process p = ns.start(new ProcessBuilder(
                            "sh",
                            "-c",
                            "sh -c 'trap \"sleep " + marker + " & echo \\$! > " + pidFile
                                    + "\" TERM; while :; do sleep 0.05; done' & wait")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (p.descendants()
                            .noneMatch(d -> d.info()
                                    .command()
                                    .map(c -> c.endsWith("/sleep"))
                                    .orElse(false))
                    && System.nanoTime() < deadline) { // past the mount set-up, into the loop
                Thread.sleep(5);
            }
            ns.close();
            assertThat(p.exitValue()).isEqualTo(143);
            assertThat(sleeping(marker).stream().filter(h -> !dead(h)))
                    .as("a helper forked during the grace period, alive after close()")
                    .isEmpty();
            String pid = Files.readString(pidFile).trim();
            if (pid.isEmpty()) {
                return false;
            }
            helper = ProcessHandle.of(Long.parseLong(pid)).orElse(null);
            assertThat(helper == null || dead(helper))
                    .as("the helper forked during the grace period is still alive after close()")
                    .isTrue();
            return true;
        } finally {
            ns.close();
            if (helper != null) {
                helper.destroyForcibly();
            }
            sleeping(marker).forEach(ProcessHandle::destroyForcibly);
            Files.deleteIfExists(pidFile);
        }
    }

    private static boolean dead(ProcessHandle h) {
        try {
            String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
            return !h.isAlive() || stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Waits for {@code n} {@code sleep} children: before the command runs, the process is still
     * netvirt's mount set-up, whose own children ({@code mount}) come and go.
     */
    private static void awaitChildren(Process p, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sleepChildren(p) < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(sleepChildren(p)).isEqualTo(n);
    }

    private static long sleepChildren(Process p) {
        return p.children()
                .filter(c ->
                        c.info().command().map(cmd -> cmd.endsWith("/sleep")).orElse(false))
                .count();
    }

    @Test
    void processesListsOwnedProcessesStillRunningAndADetachedOneOutlivesClose() throws Exception {
        NetNamespace ns = NetNamespace.ephemeral();
        String id = ns.id();
        Process detached = null;
        try {
            Process done = ns.start(new ProcessBuilder("true"));
            Process running = ns.start(new ProcessBuilder("sleep", "1000"));
            detached = ns.startDetached(
                    new ProcessBuilder("sleep", "1000").redirectOutput(ProcessBuilder.Redirect.DISCARD));
            done.waitFor();
            assertThat(ns.processes()).containsExactly(running.toHandle());
            assertThat(nsOf(detached.pid())).isEqualTo(id);
            ns.close();
            assertThat(running.isAlive()).isFalse();
            assertThat(detached.isAlive()).isTrue();
            assertThat(nsOf(detached.pid()))
                    .as("the detached process keeps the namespace")
                    .isEqualTo(id);
            assertThatThrownBy(() -> ns.start(new ProcessBuilder("true"))).isInstanceOf(IllegalStateException.class);
            assertThat(ns.processes()).isEmpty();
        } finally {
            ns.close();
            if (detached != null) {
                detached.destroyForcibly().waitFor();
            }
        }
    }

    /**
     * The parent-death signal fires when the forking thread ends, not the JVM: a process must not die
     * with the thread that called start() (here one that ends at once), only with the JVM.
     */
    @Test
    void aProcessOutlivesTheThreadThatStartedIt() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            Process[] p = new Process[1];
            int[] tid = new int[1];
            Thread starter = new Thread(() -> {
                tid[0] = Sys.gettid();
                try {
                    p[0] = ns.start(new ProcessBuilder("sleep", "1000"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            starter.start();
            starter.join();
            assertThat(p[0]).isNotNull();
            Path task = Path.of("/proc/self/task/" + tid[0]);
            while (Files.exists(task)) { // the kernel thread ends a little after join() returns
                Thread.sleep(1);
            }
            Thread.sleep(100); // a parent-death SIGKILL would have been delivered and reaped by now
            assertThat(p[0].isAlive())
                    .as("the process died with the thread that started it")
                    .isTrue();
            assertThat(ns.processes()).containsExactly(p[0].toHandle());
        }
    }

    /** A start() racing close() either fails with IllegalStateException or its process is ended by close(). */
    @Test
    void aStartRacingCloseLeavesNoProcessRunning() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Process> started = new ArrayList<>();
        int refused = 0;
        try {
            for (int i = 0; i < 40; i++) {
                NetNamespace ns = NetNamespace.ephemeral();
                Future<Process> start = pool.submit(() -> ns.start(new ProcessBuilder("sleep", "1000")));
                long delay = i % 10; // ms: a start takes a few, so some starts win and some lose
                Future<?> close = pool.submit(() -> {
                    Thread.sleep(delay);
                    ns.close();
                    return null;
                });
                close.get(30, TimeUnit.SECONDS);
                try {
                    started.add(start.get(30, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
                    refused++;
                }
            }
            System.out.println("start racing close: " + started.size() + " started and ended, " + refused + " refused");
            assertThat(started).as("alive after close()").noneMatch(Process::isAlive);
        } finally {
            pool.shutdown();
            started.forEach(Process::destroyForcibly);
        }
    }

    private static String exeOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static String nsOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        } catch (IOException e) {
            return "unreadable (" + e + ")";
        }
    }

    /**
     * The first {@code start()}/{@code exec()} of a fresh JVM from inside {@code call()} must not leave
     * a JDK thread (the process reaper) or a netvirt thread in the foreign namespace. A child JVM,
     * because the reaper pool may already have idle threads here.
     */
    @Test
    void startFromInsideCallLeavesNoThreadInTheNamespace() throws Exception {
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        ExecInsideCall.class.getName())
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out).contains("DONE").doesNotContain("FOREIGN");
        } finally {
            child.destroyForcibly();
        }
    }

    /** Child JVM for {@link #startFromInsideCallLeavesNoThreadInTheNamespace}. */
    public static final class ExecInsideCall {
        public static void main(String[] args) throws Exception {
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                Process sleeper = ns.call(() -> {
                    Process p = ns.start(new ProcessBuilder("sleep", "30")); // keeps one reaper thread busy
                    ExecResult r = ns.exec("true"); // needs a second one
                    if (!r.ok()) {
                        System.out.println("exec failed: " + r);
                    }
                    return p;
                });
                for (JvmThreads.Task t : JvmThreads.outsideRootNamespace()) {
                    if (!t.resident()) {
                        System.out.println("FOREIGN thread " + t);
                    }
                }
                sleeper.destroyForcibly().waitFor();
            }
            System.out.println("DONE");
        }
    }

    /**
     * A command that cannot be run is refused as ProcessBuilder refuses it, before anything starts,
     * rather than started as a process that exits 127: a missing name in the PATH the process runs
     * with, a missing path, a file that is not executable.
     */
    @Test
    void aCommandThatCannotBeRunIsRefusedAsProcessBuilderRefusesIt() throws Exception {
        Path notExecutable = Files.createTempFile("nn-noexec-", "");
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            String missing = TestNames.unique("nn-no-such-command");
            assertThatThrownBy(() -> ns.start(new ProcessBuilder(missing)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("Cannot run program \"" + missing + "\": error=2, No such file or directory");
            assertThatThrownBy(() -> ns.exec("/nonexistent/" + missing))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("Cannot run program \"/nonexistent/" + missing + "\"");
            assertThatThrownBy(() -> ns.startDetached(new ProcessBuilder(notExecutable.toString())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("error=13, Permission denied");
            // found in the PATH the process runs with, not the JVM's
            ProcessBuilder elsewhere = new ProcessBuilder("true");
            elsewhere.environment().put("PATH", "/nonexistent");
            assertThatThrownBy(() -> ns.start(elsewhere)).isInstanceOf(IOException.class);
            assertThat(ns.processes()).isEmpty();
            assertThat(ns.exec("true").exitCode()).isZero();
            ProcessBuilder relative = new ProcessBuilder("./true").directory(new java.io.File("/bin"));
            assertThat(ns.start(relative).waitFor()).isZero();
            // a directory that is none: the JDK's own message, before anything starts
            ProcessBuilder nowhere = new ProcessBuilder("true").directory(new java.io.File("/nonexistent-dir"));
            assertThatThrownBy(() -> ns.start(nowhere))
                    .isInstanceOf(IOException.class)
                    .hasMessage("Cannot run program \"true\" (in directory \"/nonexistent-dir\"): error=2, No such"
                            + " file or directory");
            ProcessBuilder aFile = new ProcessBuilder("true").directory(new java.io.File("/etc/hostname"));
            assertThatThrownBy(() -> ns.startDetached(aFile)).hasMessageEndingWith("error=20, Not a directory");
            assertThat(ns.processes()).isEmpty();
        } finally {
            Files.delete(notExecutable);
        }
    }
}
