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
 * An owner in a pid namespace of its own that sees the machine's /proc ({@code unshare -p -f} without
 * {@code --mount-proc}): it is pid 1 to itself, and /proc/1 is the machine's init. Its record must name
 * it as this /proc does, so that a cleanup here tells it dead once it is killed.
 */
@RequiresRoot
class OwnerPidNamespaceHostProcTest {
    @Test
    void theRecordNamesTheOwnerAsTheSharedProcShowsItAndItsCrashIsCleanedUp() throws Exception {
        String p = TestNames.unique("gd") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        ProcessBuilder b = ChildJvm.of(runDir, HoldChild.class, p, "1");
        List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--kill-child"));
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
            List<Path> records = IdentityCleanupTest.records(runDir);
            assertThat(records).hasSize(1);
            String owner = Files.readAllLines(records.get(0)).get(1);
            // the JVM is unshare's one child; its pid here is the one a cleaner here must find
            long jvm = Long.parseLong(
                    Files.readString(Path.of("/proc/" + child.pid() + "/task/" + child.pid() + "/children"))
                            .trim());
            assertThat(owner).startsWith("owner " + jvm + " " + Owner.startTime(jvm));

            IdentityCleanupTest.kill9(child); // unshare, and with it (--kill-child) the JVM
            long deadline = System.nanoTime() + 10_000_000_000L;
            CleanupReport dead = Cleaner.cleanup(new RunDir(runDir));
            while (dead.removed().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50); // the JVM dies a moment after unshare
                dead = Cleaner.cleanup(new RunDir(runDir));
            }
            assertThat(dead.removed())
                    .as("cleanup once the owner is dead: %s", dead.leftAlone())
                    .hasSize(2);
            assertThat(Reference.namespaces(p)).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            child.destroyForcibly().waitFor();
            Reference.deleteNamespaces(p);
            for (Path f : IdentityCleanupTest.records(runDir)) {
                Files.delete(f);
            }
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
