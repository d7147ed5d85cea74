package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When the crash record cannot be begun (a crash-record directory that may not be trusted), apply
 * throws the record's own failure and leaves nothing: no named namespace exists without its record.
 */
@RequiresRoot
class UntrustedRunDirTest {

    @Test
    void aRecordThatCannotBeBegunFailsTheApplyAndLeavesNothing() throws Exception {
        String p = TestNames.unique("hUrd") + "-";
        Path runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-test-");
        try {
            Files.setAttribute(runDir, "unix:mode", 0777); // others could plant records: not trusted
            Process child = ChildJvm.of(runDir, List.of("-Dnetvirt.reaper=false"), UntrustedRunDirChild.class, p)
                    .start();
            boolean ended = child.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                child.destroyForcibly().waitFor();
            }
            assertThat(ended).isTrue();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            // the child's last line says how the apply ended (the JVM may print before it)
            assertThat(out.strip().lines().reduce((a, b) -> b).orElse(""))
                    .startsWith("failed java.lang.IllegalStateException: refusing to write crash records in " + runDir)
                    .endsWith("(0 suppressed)");
            assertThat(Reference.namespaces(p)).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            Reference.deleteNamespaces(p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
