package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * close() ends the descendants of its processes, not a process that took the pid of one that
 * exited while they were looked for: neither the process given a listed child's pid before the
 * child's start time is read, nor the children of the process given a parent's pid before the
 * parent's children are read. Both are made in a pid namespace of the test's own, where the pid a
 * new process gets can be chosen (its {@code ns_last_pid}, not the machine's).
 */
class ReusedPidDescendantsTest {
    /**
     * A children file of process 40 read from tick 500 on: a process found at a pid it listed is
     * its child if it started before that tick, or if its parent is 40.
     */
    @Test
    void aProcessAtAListedPidIsAChildIfItStartedBeforeTheListOrIsTheParentsChild() {
        assertThat(Processes.listedChild(499, 40, 40, 500)).isTrue();
        assertThat(Processes.listedChild(499, 1, 40, 500))
                .as("reparented after the list was read")
                .isTrue();
        assertThat(Processes.listedChild(500, 40, 40, 500))
                .as("forked in the tick of the list")
                .isTrue();
        assertThat(Processes.listedChild(900, 40, 40, 500)).as("forked since").isTrue();
        assertThat(Processes.listedChild(500, 1, 40, 500))
                .as("given the pid in the tick of the list")
                .isFalse();
        assertThat(Processes.listedChild(900, 7, 40, 500))
                .as("given the pid since")
                .isFalse();
    }

    @Test
    @RequiresRoot
    void closeSignalsNoProcessThatTookTheDescendantsPid() throws Exception {
        String out = ChildJvm.runUnder(
                List.of("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "slave"),
                Child.class,
                180,
                pidNamespace());
        // before: "stranger alive false" (SIGTERM by close()), and "stranger's child alive false"
        assertThat(out)
                .contains(
                        "listed child reused: stranger alive true, descendants ended true",
                        "walked parent reused: stranger alive true, stranger's child alive true, descendants ended true",
                        "done")
                .doesNotContain("Exception");
    }

    private static String pidNamespace() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    }

    /**
     * {@code Child PIDNS}: pid 1 of a pid namespace other than {@code PIDNS} (the test's), with its own
     * /proc. Starts {@code sh} with two {@code sleep} children, and closes its namespace; while close()
     * looks for the descendants, a sleep is killed and its pid given to a process started here (not
     * through the namespace), right after a children file listed it. Prints what survived; each case is
     * tried again (up to 5 times) where the pid could not be given (a JVM thread took it).
     */
    public static final class Child {
        private Child() {}

        public static void main(String[] args) throws Exception {
            // ns_last_pid is this pid namespace's: never write the machine's
            if (ProcessHandle.current().pid() != 1 || pidNamespace().equals(args[0])) {
                throw new IllegalStateException("not pid 1 of a pid namespace of its own");
            }
            for (int i = 0; i < 3; i++) { // the JDK's reaper threads, made before the pids are chosen
                new ProcessBuilder("true").start().waitFor();
            }
            System.out.println("listed child reused: " + tryAgain(Child::listedChildReused));
            System.out.println("walked parent reused: " + tryAgain(Child::walkedParentReused));
            System.out.println("done");
            System.out.flush();
        }

        private interface Case {
            String run() throws Exception;
        }

        private static String tryAgain(Case c) throws Exception {
            for (int attempt = 0; attempt < 5; attempt++) {
                String r = c.run();
                if (r != null) {
                    return r;
                }
            }
            return "the pid was never given again";
        }

        /** A child's pid taken by a stranger after the children file listed it: null if it could not be given. */
        private static String listedChildReused() throws Exception {
            AtomicReference<Process> stranger = new AtomicReference<>();
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                Process sh = ns.start(new ProcessBuilder("sh", "-c", "sleep 1000 & sleep 1000 & wait"));
                long[] sleeps = sleepChildren(sh.pid(), 2);
                String[] starts = startTimes(sleeps);
                Processes.afterListing = parent -> {
                    if (parent == sh.pid() && stranger.get() == null) {
                        stranger.set(takePid(sleeps[0], starts[0], "sleep", "1000"));
                    }
                };
                try {
                    ns.close();
                } finally {
                    Processes.afterListing = parent -> {};
                }
                Process s = stranger.get();
                if (s.pid() != sleeps[0]) {
                    return null;
                }
                return "stranger alive " + s.isAlive() + ", descendants ended "
                        + (!sh.isAlive() && !ProcPids.alive(sleeps[1], starts[1]));
            } finally {
                if (stranger.get() != null) {
                    stranger.get().destroyForcibly().waitFor();
                }
            }
        }

        /**
         * The pid of a child found in the walk taken, after its start time was read and before its
         * children file is, by a stranger with a child of its own: null if it could not be given.
         */
        private static String walkedParentReused() throws Exception {
            AtomicReference<Process> stranger = new AtomicReference<>();
            long[] strangersChild = {-1};
            String[] strangersChildStart = {null};
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                Process sh = ns.start(new ProcessBuilder("sh", "-c", "sleep 1000 & sleep 1000 & wait"));
                long[] sleeps = sleepChildren(sh.pid(), 2); // listed, and walked, in this order
                String[] starts = startTimes(sleeps);
                Processes.afterListing = parent -> {
                    if (parent == sleeps[0] && stranger.get() == null) {
                        Process s = takePid(sleeps[1], starts[1], "sh", "-c", "sleep 1000 & wait");
                        stranger.set(s);
                        if (s.pid() == sleeps[1]) {
                            strangersChild[0] = sleepChildren(s.pid(), 1)[0];
                            strangersChildStart[0] = ProcPids.startTime(strangersChild[0]);
                        }
                    }
                };
                try {
                    ns.close();
                } finally {
                    Processes.afterListing = parent -> {};
                }
                Process s = stranger.get();
                if (s.pid() != sleeps[1]) {
                    return null;
                }
                return "stranger alive " + s.isAlive() + ", stranger's child alive "
                        + ProcPids.alive(strangersChild[0], strangersChildStart[0]) + ", descendants ended "
                        + (!sh.isAlive() && !ProcPids.alive(sleeps[0], starts[0]));
            } finally {
                if (strangersChild[0] > 0 && ProcPids.alive(strangersChild[0], strangersChildStart[0])) {
                    ProcessHandle.of(strangersChild[0]).ifPresent(ProcessHandle::destroyForcibly);
                }
                if (stranger.get() != null) {
                    stranger.get().destroyForcibly().waitFor();
                }
            }
        }

        /**
         * Kills process {@code pid} (started at {@code start}), waits until its parent has reaped it,
         * and starts {@code command} here with ns_last_pid set to the pid before it: the process gets
         * that pid unless a thread of this JVM was made meanwhile (then it is returned with another).
         * It starts in a later clock tick than the process killed: one of the same pid and start time
         * would be that process still, to anyone.
         */
        private static Process takePid(long pid, String start, String... command) {
            try {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                for (String[] stat = ProcPids.stat(pid);
                        stat != null && stat[19].equals(start);
                        stat = ProcPids.stat(pid)) { // until reaped
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("process " + pid + " was not reaped");
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                while (ProcPids.ticksSinceBoot() <= Long.parseLong(start)) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                Process p = null;
                for (int attempt = 0; attempt < 20 && (p == null || p.pid() != pid); attempt++) {
                    if (p != null) {
                        p.destroyForcibly().waitFor();
                    }
                    Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Long.toString(pid - 1));
                    p = new ProcessBuilder(command).start();
                }
                return p;
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String[] startTimes(long[] pids) {
            return Arrays.stream(pids).mapToObj(ProcPids::startTime).toArray(String[]::new);
        }

        /**
         * Waits until process {@code pid} has {@code n} children that run {@code sleep}, and returns
         * them in the order its children file lists them (before, the mount set-up's own children come and go).
         */
        private static long[] sleepChildren(long pid, int n) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                List<Long> sleeps = new ArrayList<>();
                try {
                    String children = Files.readString(Path.of("/proc/" + pid + "/task/" + pid + "/children"));
                    for (String c : children.trim().split(" ")) {
                        if (!c.isEmpty()
                                && Files.readSymbolicLink(Path.of("/proc/" + c + "/exe"))
                                        .toString()
                                        .endsWith("/sleep")) {
                            sleeps.add(Long.parseLong(c));
                        }
                    }
                } catch (IOException e) {
                    // a child exited (a mount)
                }
                if (sleeps.size() == n) {
                    return sleeps.stream().mapToLong(Long::longValue).toArray();
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("process " + pid + " has sleep children " + sleeps + ", not " + n);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }
}
