package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A JVM in a pid namespace of its own that sees the machine's /proc ({@code unshare -p -f} without
 * {@code --mount-proc}) closes a namespace where code it ran started a process with a plain
 * {@link ProcessBuilder}: close() ends it, as anywhere else. The JDK's handles read /proc by the
 * JVM's pid, another process's entry there, or none: with none, the process was skipped and kept the
 * namespace alive.
 */
@RequiresRoot
class LeftInsidePidNamespaceTest {

    @Test
    void closeEndsAPlainProcessCodeInsideStartedAndLeavesADetachedOne() throws Exception {
        String out = ChildJvm.runUnder(List.of("unshare", "--pid", "--fork", "--kill-child"), Child.class, 60);
        assumeFalse(out.contains("pid taken"), "the machine's /proc got the child's pid meanwhile: " + out);
        assertThat(out).contains("plain ended true", "detached survived true");
    }

    /**
     * Starts {@code sleep} with a plain ProcessBuilder from code run inside a namespace, with a pid the
     * machine's /proc does not have, and one detached; closes the namespace; tells which are running.
     */
    public static final class Child {
        private Child() {}

        public static void main(String[] args) throws Exception {
            try (NetNamespace ns = NetNamespace.ephemeral()) {
                // every thread a start needs exists before the pid is chosen: threads take pids too
                ns.call(() -> new ProcessBuilder("true").start()).waitFor();
                ns.startDetached(new ProcessBuilder("true")).waitFor();
                Process plain = ns.call(() -> startAtAPidTheMachineHasNot("sleep", "1000"));
                Process detached = ns.startDetached(new ProcessBuilder("sleep", "1000"));
                ns.close();
                System.out.println("plain ended " + !plain.isAlive());
                System.out.println("detached survived " + detached.isAlive());
                plain.destroyForcibly().waitFor();
                detached.destroyForcibly().waitFor();
            }
            System.out.flush();
        }

        private static Process startAtAPidTheMachineHasNot(String... command) throws IOException {
            long pid = 30_000;
            while (Files.exists(Path.of("/proc/" + pid))) {
                pid--;
            }
            Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Long.toString(pid - 1)); // this pid namespace's
            Process p = new ProcessBuilder(command).start();
            System.out.println("plain " + p.pid() + (Files.exists(Path.of("/proc/" + p.pid())) ? " pid taken" : ""));
            return p;
        }
    }
}
