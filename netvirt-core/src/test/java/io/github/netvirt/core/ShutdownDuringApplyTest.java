package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A JVM sent SIGTERM while its first apply runs, with no shutdown hook of its own: netvirt's hook
 * interrupts the apply and waits for its rollback, so nothing of the topology is left in the kernel
 * or in the run directory, whether the signal came while the namespaces were made or the devices.
 */
@RequiresRoot
class ShutdownDuringApplyTest {
    private static final int HOSTS = 200; // a window of 0.2-0.4 s for the signal or interrupt to land in

    private static void sigtermWhen(Predicate<String> midApply, String what) throws Exception {
        String p = TestNames.unique("ic") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        Path log =
                Files.createTempFile("netvirt-child", ".log"); // destroy() closes the pipes: the output goes to a file
        Process c = ChildJvm.of(runDir, ShutdownChild.class, p, Integer.toString(HOSTS))
                .redirectOutput(log.toFile())
                .start();
        try {
            while (!Files.readString(log).contains("applying")) {
                assertThat(c.isAlive())
                        .as("child alive: %s", Files.readString(log))
                        .isTrue();
            }
            while (!midApply.test(p)) {
                assertThat(c.isAlive())
                        .as("child alive: %s", Files.readString(log))
                        .isTrue();
            }
            c.destroy(); // SIGTERM
            assertThat(c.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> out = Files.readAllLines(log);
            System.out.println("SIGTERM while " + what + ": exit " + c.exitValue() + ", output " + out);
            assertThat(out).noneMatch(l -> l.startsWith("applied"));
            assertThat(Reference.namespaces(p)).as("namespaces left").isEmpty();
            assertThat(Ip.ok("netns", "list")).doesNotContain(p);
            assertThat(Ip.ok("-br", "link")).doesNotContain(p);
            assertThat(IdentityCleanupTest.records(runDir))
                    .as("crash records left")
                    .isEmpty();
        } finally {
            c.destroyForcibly();
            c.waitFor();
            Reference.deleteNamespaces(p);
            IdentityCleanupTest.deleteRunDir(runDir);
            Files.delete(log);
        }
    }

    /**
     * {@code System.exit} while a close runs: the hook waits for the close, which removes everything.
     * The JVM halted half-way and left the names (unmounted ones among them: listed by ip netns,
     * refused by ip netns exec) and the record to the next cleanup.
     */
    @Test
    void anExitWhileATopologyClosesWaitsForTheClose() throws Exception {
        String p = TestNames.unique("ix") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            Ip.Result r = Ip.exec(
                    ChildJvm.of(runDir, ExitDuringCloseChild.class, p, "20").command());
            assertThat(r.out()).as(r.err()).contains("closing");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(3);
            assertThat(Reference.namespaces(p)).as("names left").isEmpty();
            assertThat(IdentityCleanupTest.records(runDir))
                    .as("crash records left")
                    .isEmpty();
        } finally {
            Reference.deleteNamespaces(p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void sigtermWhileTheNamespacesAreMadeLeavesNothing() throws Exception {
        sigtermWhen(p -> Reference.namespaces(p).size() >= 20, "the namespaces were made");
    }

    @Test
    void sigtermWhileTheDevicesAreMadeLeavesNothing() throws Exception {
        sigtermWhen(
                p -> Ip.exec(List.of("ip", "-n", p + "br", "link", "show", "p1"))
                                .exitCode()
                        == 0,
                "the devices were made");
    }
}
