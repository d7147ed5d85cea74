package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README, "Interrupts and shutdown": when the JVM shuts down while an apply() runs, netvirt's hook
 * interrupts it and waits for the rollback, "so a daemon stopped during its first apply leaves
 * nothing". A System.exit that comes once the kernel has acknowledged the apply's last batch, while
 * the apply still brings its devices fully up, was not noticed: the apply returned the topology and the
 * JVM exited with it, its namespaces and its crash record left. Such an apply now closes what it made.
 */
@RequiresRoot
class ShutdownAtApplyEndTest {
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
    private static void exitLeavesNothing(Class<?> child, String says) throws Exception {
        String p = TestNames.unique("iC") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            Ip.Result r = Ip.exec(ChildJvm.of(runDir, child, p).command());
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
}
