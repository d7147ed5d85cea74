package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A process netvirt has found to end and that exits before its signal is not confused with a process
 * given its pid in the same clock tick as it started (pid and start time alike): the ending holds the
 * process it proved, not its pid. The pid is given in a pid namespace of the test's own, where the pid
 * a new process gets can be chosen (its {@code ns_last_pid}, not the machine's).
 */
class SameTickPidReuseTest {
    @Test
    @RequiresRoot
    void aProcessGivenTheProvenPidInItsStartTickIsNotSignalled() throws Exception {
        String out = ChildJvm.runUnder(
                List.of("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "slave"),
                Child.class,
                240,
                pidNamespace());
        // before: "stranger alive false" (the stranger took SIGTERM)
        assertThat(out)
                .contains(
                        "by handle: stranger alive true, reported [",
                        "by record: stranger alive true, reported [",
                        "by a record's pidfs inode: stranger alive true, reported []",
                        "done")
                .doesNotContain("Exception", "never");
    }

    private static String pidNamespace() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    }

    /**
     * {@code Child PIDNS}: pid 1 of a pid namespace other than {@code PIDNS} (the test's), with its own
     * /proc. Starts a process and has it ended at once; once it is found and before it is signalled,
     * it is killed and its pid given to a stranger. Only a stranger that started in the same clock tick
     * as the process counts: each case is tried again (up to 300 times, 2 minutes) until it does.
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
            System.out.println("by handle: "
                    + tryAgain(original -> Processes.terminateHandles(List.of(original.toHandle())).stream()
                            .map(ProcessHandle::pid)
                            .toList()));
            System.out.println("by record: "
                    + tryAgain(original -> NetNamespace.endProcessesByProcPid(
                            Map.of(original.pid(), ProcPids.startTime(original.pid())))));
            System.out.println("by a record's pidfs inode: " + tryAgain(Child::sameTickAfterTheRecord));
            System.out.println("done");
            System.out.flush();
        }

        private interface End {
            Object run(Process original) throws Exception;
        }

        private interface Try {
            String run() throws Exception;
        }

        private static String tryAgain(End end) throws Exception {
            return tryAgain(() -> sameTick(end));
        }

        private static String tryAgain(Try t) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            for (int attempt = 0; attempt < 300 && System.nanoTime() < deadline; attempt++) {
                String r = t.run();
                if (r != null) {
                    return r + " (attempt " + (attempt + 1) + ")";
                }
            }
            return "the pid was never given in the same tick";
        }

        /**
         * One try: a process started at the beginning of a clock tick, ended by {@code end}, which is
         * made to find a stranger at its pid before it signals; null if the stranger did not get its
         * pid in the tick the process started.
         */
        private static String sameTick(End end) throws Exception {
            AtomicReference<Process> stranger = new AtomicReference<>();
            AtomicReference<String> strangerStart = new AtomicReference<>();
            Process original = null;
            try {
                for (long tick = ProcPids.ticksSinceBoot(); ProcPids.ticksSinceBoot() == tick; ) {
                    Thread.onSpinWait(); // as much of the tick as there is left
                }
                original = new ProcessBuilder("sleep", "1000").start();
                long pid = original.pid();
                String start = ProcPids.startTime(pid);
                Process o = original;
                Processes.beforeSignals = pids -> {
                    if (pids.contains(pid) && stranger.get() == null) {
                        Process s = takePid(o, pid);
                        stranger.set(s);
                        strangerStart.set(startTime(s)); // before it is signalled
                    }
                };
                Object reported;
                try {
                    reported = end.run(original);
                } finally {
                    Processes.beforeSignals = pids -> {};
                }
                Process s = stranger.get();
                if (s == null || s.pid() != pid || !start.equals(strangerStart.get())) {
                    return null;
                }
                return "stranger alive " + s.isAlive() + ", reported " + reported;
            } finally {
                if (original != null) {
                    original.destroyForcibly().waitFor();
                }
                if (stranger.get() != null) {
                    stranger.get().destroyForcibly().waitFor();
                }
            }
        }

        /**
         * One try: a process started at the beginning of a clock tick, recorded by pid, start time and
         * pidfs inode as a crash record does, then killed and its pid given to a stranger, which the
         * record's cleanup then ends; null if the stranger did not get its pid in the tick the process
         * started.
         */
        private static String sameTickAfterTheRecord() throws Exception {
            Process original = null;
            Process stranger = null;
            try {
                for (long tick = ProcPids.ticksSinceBoot(); ProcPids.ticksSinceBoot() == tick; ) {
                    Thread.onSpinWait();
                }
                original = new ProcessBuilder("sleep", "1000").start();
                long pid = original.pid();
                String start = ProcPids.startTime(pid);
                int pidfd = Sys.pidfdOf(pid);
                long inode;
                try {
                    inode = Sys.pidfsInode(pidfd);
                } finally {
                    Sys.closeQuietly(pidfd);
                }
                if (inode == 0) {
                    throw new IllegalStateException("pidfds have no inodes of their own here");
                }
                stranger = takePid(original, pid);
                if (stranger.pid() != pid || !start.equals(startTime(stranger))) {
                    return null;
                }
                Set<Long> reported = NetNamespace.endProcessesByProcPid(Map.of(pid, start), Map.of(pid, inode));
                return "stranger alive " + stranger.isAlive() + ", reported " + reported;
            } finally {
                if (original != null) {
                    original.destroyForcibly().waitFor();
                }
                if (stranger != null) {
                    stranger.destroyForcibly().waitFor();
                }
            }
        }

        private static String startTime(Process p) {
            String[] stat = ProcPids.stat(p.pid());
            return stat == null ? null : stat[19];
        }

        /** Kills {@code original}, waits until it is reaped, and starts a stranger with ns_last_pid set to the pid before. */
        private static Process takePid(Process original, long pid) {
            try {
                original.destroyForcibly().waitFor();
                Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Long.toString(pid - 1));
                return new ProcessBuilder("sleep", "1000").start();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
