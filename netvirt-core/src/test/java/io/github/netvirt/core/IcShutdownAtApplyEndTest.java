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
 * the apply still brings its devices fully up, is not noticed: the apply returns the topology and the
 * JVM exits with it, its namespaces and its crash record left.
 */
@RequiresRoot
class IcShutdownAtApplyEndTest {
    @Test
    void anExitAfterTheLastBatchOfTheFirstApplyLeavesNothing() throws Exception {
        String p = TestNames.unique("iC") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            Ip.Result r = Ip.exec(
                    ChildJvm.of(runDir, IcExitAfterLastBatchChild.class, p).command());
            assertThat(r.out()).as(r.err()).contains("apply interrupted: true");
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

    /**
     * An apply that begins on a program thread once the shutdown has begun (a loop that goes on, the
     * next apply after a close the hook waited for) is neither interrupted nor waited for: the JVM
     * exits with its topology in place, or halts it part-way.
     */
    @Test
    void anApplyBegunWhileTheJvmShutsDownLeavesNothing() throws Exception {
        String p = TestNames.unique("iC") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            Ip.Result r = Ip.exec(
                    ChildJvm.of(runDir, IcApplyDuringShutdownChild.class, p).command());
            assertThat(r.out()).as(r.err()).contains("shutting down, applying");
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
