package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A JVM sent SIGTERM while its first apply runs, with no shutdown hook of its own: netvirt's hook
 * interrupts the apply and waits for its rollback, so nothing of the topology is left in the kernel
 * or in the run directory, whether the signal came while the namespaces were made or the devices;
 * and the other moments a JVM may exit with netvirt at work (a close, the end of an apply, an apply
 * begun once the JVM shuts down).
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
        exitLeavesNothing(ExitDuringCloseChild.class, "closing", "20");
    }

    /**
     * {@code System.exit} once the kernel has acknowledged the first apply's last batch, while the
     * apply still brings its devices fully up: the hook's interrupt was not noticed, the apply returned
     * the topology and the JVM exited with it, its namespaces and its crash record left. Such an
     * apply now closes what it made.
     */
    @Test
    void anExitAfterTheLastBatchOfTheFirstApplyLeavesNothing() throws Exception {
        exitLeavesNothing(ExitAfterLastBatchChild.class, "apply interrupted: true");
    }

    /**
     * An apply that begins on a program thread once the shutdown has begun (a loop that goes on, the
     * next apply after a close the hook waited for) is refused before anything is made: the JVM would
     * exit with its topology in place, or halt it part-way.
     */
    @Test
    void anApplyBegunWhileTheJvmShutsDownLeavesNothing() throws Exception {
        exitLeavesNothing(ApplyDuringShutdownChild.class, "shutting down, applying");
    }

    /** Runs {@code child} (which exits with status 3, saying {@code says}) and finds nothing of it left. */
    private static void exitLeavesNothing(Class<?> child, String says, String... args) throws Exception {
        String p = TestNames.unique("ix") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            List<String> all = new ArrayList<>(List.of(p));
            all.addAll(List.of(args));
            Ip.Result r = Ip.exec(
                    ChildJvm.of(runDir, child, all.toArray(new String[0])).command());
            assertThat(r.out()).as(r.err()).contains(says);
            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
            assertThat(Reference.namespaces(p))
                    .as("namespaces left; child said %s", r.out())
                    .isEmpty();
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
