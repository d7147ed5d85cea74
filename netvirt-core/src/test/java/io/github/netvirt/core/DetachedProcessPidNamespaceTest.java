package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM in a pid namespace of its own that sees the machine's /proc ({@code unshare -p -f} without
 * {@code --mount-proc}) removes the topology it detached: the record names the detached process as
 * /proc numbers it, and it is signalled by the pid the JVM's namespace gives it, not by that number.
 */
@RequiresRoot
class DetachedProcessPidNamespaceTest {
    @Test
    void removeDetachedEndsTheDetachedProcessByItsPidInTheJvmsNamespace() throws Exception {
        String p = TestNames.unique("gC") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        ProcessBuilder b = ChildJvm.of(runDir, Child.class, p);
        List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--kill-child"));
        cmd.addAll(b.command());
        Process child = b.command(cmd).start();
        long sleep = -1;
        String sleepStart = null;
        try {
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            List<String> out = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("removed")) {
                out.add(line);
                if (line.startsWith("sleep ")) {
                    sleep = Long.parseLong(line.substring(6));
                    sleepStart = Owner.startTimeOrNull(sleep);
                }
            }
            assertThat(line).as("child output %s", out).startsWith("removed");
            assertThat(sleep).as("child output %s", out).isPositive();
            // the child waits for its stdin to close: as pid 1 of its pid namespace, its exit would end the sleep
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sleepStart != null && Owner.alive(sleep, sleepStart) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(sleepStart != null && Owner.alive(sleep, sleepStart))
                    .as("sleep (pid %s here) still running; child output %s %s", sleep, out, line)
                    .isFalse();
            assertThat(line).contains("process ", "netns " + p + "net0");
            assertThat(Reference.namespaces(p)).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            if (sleepStart != null && Owner.alive(sleep, sleepStart)) {
                Ip.exec(List.of("kill", "-9", Long.toString(sleep)));
            }
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                IdentityCleanupTest.kill9(
                        child); // unshare, and with it (--kill-child) the JVM and its namespace's processes
            }
            Reference.deleteNamespaces(p);
            for (Path f : IdentityCleanupTest.records(runDir)) {
                Files.delete(f);
            }
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    /**
     * {@code Child PREFIX}: applies the seed topology, starts {@code sleep 1000} detached in net0, prints
     * its pid as /proc numbers it, detaches, removes the topology, prints what was removed, and exits
     * when its stdin closes.
     */
    public static final class Child {
        private Child() {}

        public static void main(String[] args) throws Exception {
            Topology t = Seeds.seed().prefix(args[0]).apply();
            Process p = t.namespace("net0")
                    .startDetached(new ProcessBuilder("sleep", "1000")
                            .redirectInput(Redirect.from(new File("/dev/null")))
                            .redirectOutput(Redirect.DISCARD)
                            .redirectError(Redirect.DISCARD));
            System.out.println("sleep " + ProcPids.of(p.pid()));
            t.detach();
            System.out.println("removed " + Topology.removeDetached(args[0]));
            System.out.flush();
            System.in.readAllBytes();
        }
    }
}
