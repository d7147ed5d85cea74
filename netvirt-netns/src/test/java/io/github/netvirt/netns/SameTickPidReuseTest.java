package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
                    + tryAgain(original ->
                            Processes.terminateRecorded(Map.of(original.pid(), ProcPids.startTime(original.pid())))));
            System.out.println("done");
            System.out.flush();
        }

        private interface End {
            Object run(Process original) throws Exception;
        }

        private static String tryAgain(End end) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            for (int attempt = 0; attempt < 300 && System.nanoTime() < deadline; attempt++) {
                String r = sameTick(end);
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
