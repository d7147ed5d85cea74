package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * adoptPid names a process, not a number: once that process has exited and its pid is another
 * process's, in another namespace, the topology is not built there.
 */
@RequiresRoot
class AdoptReusedPidTest {
    @Test
    void aPidGivenToAnotherProcessIsNotAdopted() throws Exception {
        String p = TestNames.unique("gH") + "-";
        String stranger = p + "stranger";
        Path runDir = Files.createTempDirectory("netvirt-run");
        Ip.ok("netns", "add", stranger);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            List<String> before = AdoptTest.links("-n", stranger);
            // a pid namespace and /proc of its own: it sets ns_last_pid there, not the machine's
            List<String> cmd = new ArrayList<>(
                    List.of("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "slave"));
            ProcessBuilder b = ChildJvm.of(runDir, ReusedPidChild.class, p, stranger);
            cmd.addAll(b.command());
            Path output = runDir.resolve("child.out");
            Process child = b.command(cmd).redirectOutput(output.toFile()).start();
            if (!child.waitFor(180, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(); // unshare --kill-child: the JVM and its processes go too
            }
            String out = Files.readString(output);
            String exited =
                    "process \\d+ that adoptPid named has exited \\(its pid now belongs to another process\\)\\n";
            assertThat(out)
                    .contains("first apply: gHbr", " reused in " + stranger, "done")
                    .containsPattern("apply refused: InvalidTopologyException: [^\\n]*\\n"
                            + "  - adopted namespace c \\(pid \\d+\\): " + exited)
                    .containsPattern("planned refused: IllegalArgumentException: cannot adopt pid \\d+ as c: " + exited)
                    .containsPattern("open refused: IllegalStateException: " + exited)
                    .contains("changed: c has [lo, gHbr, gHbr2], " + stranger + " has [lo]")
                    .doesNotContain("applied again", "planned applied", "opened");
            assertThat(AdoptTest.links("-n", stranger))
                    .as("the stranger's namespace")
                    .isEqualTo(before);
            Files.delete(output);
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
