package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An owner killed while its parent does not reap it yet (a supervisor that reaps late, {@code ( java
 * ... & )}, a container whose pid 1 is no init): a zombie, with its pid and start time still in
 * /proc, but no files, so no lock on its record. It is dead: cleanup removes its topology, and a new
 * apply of its names is told so.
 */
@RequiresRoot
class ZombieOwnerTest {
    /**
     * The owner under a shell that reaps it only when told (a line on its stdin): {@code sh -c
     * 'JAVA & echo pid $!; read x; wait'}. A non-interactive dash reaps nothing while it reads.
     */
    private record Unreaped(Process shell, long pid) {
        static Unreaped start(Path runDir, String prefix) throws Exception {
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", "\"$@\" & echo \"pid $!\"; read x; wait", "sh"));
            cmd.addAll(ChildJvm.of(runDir, HoldChild.class, prefix, "3").command());
            Process shell = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
            List<String> out = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("applied")) {
                out.add(line);
            }
            long pid = out.stream()
                    .filter(l -> l.startsWith("pid "))
                    .mapToLong(l -> Long.parseLong(l.substring(4)))
                    .findFirst()
                    .orElse(-1);
            Unreaped u = new Unreaped(shell, pid);
            if (line == null) {
                u.end();
            }
            assertThat(line).as("child output %s", out).startsWith("applied");
            return u;
        }

        /** Kills the owner with SIGKILL and waits until it is a zombie. */
        void kill9() throws Exception {
            assertThat(Ip.exec(List.of("kill", "-9", Long.toString(pid))).exitCode())
                    .isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (state() != 'Z' && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(state()).as("state of the killed owner, pid %d", pid).isEqualTo('Z');
        }

        /** The state of the owner in /proc/PID/stat, or '-' once it has been reaped. */
        char state() {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2);
            } catch (Exception gone) {
                return '-';
            }
        }

        /** Lets the shell reap the owner (killed first, if it still runs), and waits for both. */
        void end() throws Exception {
            if (pid > 0) {
                Ip.exec(List.of("kill", "-9", Long.toString(pid)));
            }
            try (Writer w = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write("\n");
            } catch (IOException gone) {
                // the shell is gone already
            }
            if (!shell.waitFor(10, TimeUnit.SECONDS)) {
                shell.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void aZombieOwnersTopologyIsRemovedByCleanupAndALiveOnesIsListedAsLeftAlone() throws Exception {
        String p = TestNames.unique("fz") + "-";
        String live = TestNames.unique("fz") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        Process running = null;
        Unreaped dead = null;
        try {
            running = IdentityCleanupTest.startHeld(runDir, live, "1");
            dead = Unreaped.start(runDir, p);
            assertThat(Reference.namespaces(p)).hasSize(4);
            String start = Owner.startTime(dead.pid());
            assertThat(Owner.alive(dead.pid(), start)).isTrue();
            dead.kill9();
            assertThat(Owner.startTimeOrNull(dead.pid()))
                    .as("a zombie's start time")
                    .isEqualTo(start);
            assertThat(Owner.alive(dead.pid(), start)).as("a zombie").isFalse();

            // the same names applied again (reaper off): refused, and the message says its owner is dead
            Process again = ChildJvm.of(runDir, List.of("-D" + Reaper.PROPERTY + "=false"), ReapplyChild.class, p, "3")
                    .start();
            String out = new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out)
                    .contains("EEXIST", "held by a netvirt topology of pid " + dead.pid(), "no longer running")
                    .doesNotContain("which is running");

            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
            System.out.println("cleanup with a zombie owner (state " + dead.state() + "): " + r);
            assertThat(dead.state()).as("still unreaped").isEqualTo('Z');
            assertThat(r.removed())
                    .containsExactlyInAnyOrder(
                            "netns " + p + "br", "netns " + p + "h1", "netns " + p + "h2", "netns " + p + "h3");
            assertThat(Reference.namespaces(p)).isEmpty();
            // the live owner's topology is not removed, and the report says so and why
            assertThat(r.leftAlone())
                    .singleElement()
                    .asString()
                    .contains(live + "br", "pid " + running.pid(), "running");
            assertThat(Reference.namespaces(live)).hasSize(2);
            assertThat(IdentityCleanupTest.records(runDir)).hasSize(1);
        } finally {
            if (dead != null) {
                dead.end();
            }
            if (running != null) {
                running.destroyForcibly().waitFor();
            }
            Reference.deleteNamespaces(p);
            Reference.deleteNamespaces(live);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
