package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A JVM killed with SIGKILL in the middle of apply: an ephemeral topology leaves nothing, a named
 * one is removed by {@link Topology#cleanup()}, and a foreign namespace with a clashing name
 * survives both.
 */
@RequiresRoot
class CrashTest {
    private static final int HOSTS = 20;

    /** Starts the child, waits until it is in its second apply, kills it at a random moment. */
    static List<String> runAndKill(Path runDir, String... args) throws Exception {
        Process p = ChildJvm.of(runDir, CrashChild.class, args).start();
        List<String> lines = new ArrayList<>();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                if (line.equals("applying 1")) {
                    break;
                }
            }
            assertThat(lines).as("child output").contains("applying 1");
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 30));
            p.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(137);
        } finally {
            p.destroyForcibly();
        }
        return lines;
    }

    @Test
    void namedTopologyIsCleanedUpAndAForeignNamespaceSurvives() throws Exception {
        for (boolean clash : new boolean[] {false, false, false, true}) {
            String p = TestNames.unique("co") + "-";
            Path runDir = Files.createTempDirectory("netvirt-run");
            if (clash) {
                Ip.ok("netns", "add", p + "h3");
            }
            try {
                List<String> out = runAndKill(runDir, "named", p, Integer.toString(HOSTS));
                if (clash) {
                    assertThat(out).contains("failed 0 EEXIST");
                }
                List<String> removed = Cleaner.cleanup(new RunDir(runDir)).removed();
                System.out.println("clash=" + clash + " killed after " + out.get(out.size() - 1) + "; cleanup removed "
                        + removed.size() + ": " + removed);
                assertThat(removed).noneMatch(r -> r.equals("netns " + p + "h3") && clash);
                assertThat(Reference.namespaces(p)).isEqualTo(clash ? List.of(p + "h3") : List.of());
                assertThat(Cleaner.cleanup(new RunDir(runDir)).isEmpty()).isTrue();
                assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
            } finally {
                Reference.deleteNamespaces(p);
                IdentityCleanupTest.deleteRunDir(runDir);
            }
        }
    }

    @Test
    void ephemeralTopologyLeavesNothing() throws Exception {
        String p = TestNames.unique("co") + "-";
        String root = p.replace("-", "") + "r"; // root-namespace veth ends: coXXXNr1..
        Path runDir = Files.createTempDirectory("netvirt-run");
        Ip.ok("netns", "add", p + "h3"); // clashes with nothing: ephemeral namespaces have no name
        try {
            runAndKill(runDir, "ephemeral", p, Integer.toString(HOSTS), root);
            // the kernel destroys the namespaces, and with them the veths' root ends, asynchronously
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Ip.ok("-br", "link").contains(root) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Ip.ok("-br", "link")).doesNotContain(root);
            assertThat(Cleaner.cleanup(new RunDir(runDir)).removed()).allMatch(r -> !r.contains(root));
            assertThat(Reference.namespaces(p)).containsExactly(p + "h3");
        } finally {
            Reference.deleteNamespaces(p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
