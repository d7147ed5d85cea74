package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An owner in another pid namespace (a container, {@code unshare --pid}) sharing the run directory:
 * the pid in its record means another process here, so pid and start time cannot tell whether it lives.
 */
@RequiresRoot
class OwnerPidNamespaceTest {
    @Test
    void aLiveOwnerInAnotherPidNamespaceIsNotReapedAndADeadOneIs() throws Exception {
        String p = TestNames.unique("rb") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        ProcessBuilder b = ChildJvm.of(runDir, HoldChild.class, p, "1");
        // a /proc of its own (not seen here), while /run/netns stays shared: the names it makes are seen here
        List<String> cmd = new ArrayList<>(List.of(
                "unshare",
                "--pid",
                "--kill-child",
                "--mount",
                "--propagation",
                "unchanged",
                "sh",
                "-c",
                "mount --make-rprivate /proc && mount -t proc proc /proc && exec \"$@\"",
                "sh"));
        cmd.addAll(b.command());
        Process child = b.command(cmd).start();
        try {
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            List<String> out = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null && !line.startsWith("applied")) {
                out.add(line);
            }
            assertThat(line).as("child output %s", out).startsWith("applied");
            List<String> made = Reference.namespaces(p);
            assertThat(made).hasSize(2);

            CleanupReport live = Cleaner.cleanup(new RunDir(runDir));
            assertThat(live.removed()).as("cleanup while the owner runs").isEmpty();
            assertThat(Reference.namespaces(p)).isEqualTo(made);
            assertThat(IdentityCleanupTest.records(runDir)).hasSize(1);

            IdentityCleanupTest.kill9(child); // unshare, and with it (--kill-child) the JVM, pid 1 of its namespace
            long deadline = System.nanoTime() + 10_000_000_000L;
            CleanupReport dead = Cleaner.cleanup(new RunDir(runDir));
            while (dead.removed().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50); // the JVM dies a moment after unshare
                dead = Cleaner.cleanup(new RunDir(runDir));
            }
            assertThat(dead.removed()).as("cleanup once the owner is dead").hasSize(2);
            assertThat(Reference.namespaces(p)).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            child.destroyForcibly().waitFor();
            Reference.deleteNamespaces(p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
