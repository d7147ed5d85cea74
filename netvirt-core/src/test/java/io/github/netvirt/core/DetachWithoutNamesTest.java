package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A kept topology is found again by its named namespaces: one without any cannot be detached (nothing
 * could find it again), and a description that names none removes no kept topology.
 */
@RequiresRoot
class DetachWithoutNamesTest {

    @Test
    void aTopologyWithoutNamedNamespacesCannotBeDetached() throws Exception {
        String host = TestNames.unique("rf").replace("-", "");
        Path runDir = Files.createTempDirectory("netvirt-run");
        String was = System.getProperty("netvirt.run.dir");
        System.setProperty("netvirt.run.dir", runDir.toString()); // nothing of this test in the shared one
        try {
            Topology t = Topology.create().root().bridge(host + "b").down().apply();
            try {
                assertThatThrownBy(t::detach)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("named namespace");
                assertThat(t.isOpen()).isTrue();
            } finally {
                t.close();
            }
            assertThat(Reference.rootLinks(host)).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            if (was == null) {
                System.clearProperty("netvirt.run.dir");
            } else {
                System.setProperty("netvirt.run.dir", was);
            }
            Ip.run("link", "del", host + "b");
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void aDescriptionWithoutNamedNamespacesRemovesNoKeptTopology() throws Exception {
        String host = TestNames.unique("rf").replace("-", "");
        Path runDir = Files.createTempDirectory("netvirt-run");
        int group = ThreadLocalRandom.current().nextInt(0x4000_0000, Integer.MAX_VALUE);
        try {
            // what detach() of a topology with only a root device used to keep (someone else's here)
            CrashRecord r = CrashRecord.begin(new RunDir(runDir), "(root)");
            r.rootDevices(RecordReach.rootCookie(), group, RecordReach.rootReach());
            Ip.ok("link", "add", host + "k", "group", Integer.toString(group), "type", "bridge");
            r.kept();
            assertThat(Cleaner.removeDetached(
                            new RunDir(runDir),
                            Topology.create().root().bridge(host + "c").spec()))
                    .isEmpty();
            assertThat(Cleaner.removeDetached(
                            new RunDir(runDir),
                            Topology.create().ephemeral().ns("x").bridge("br").spec()))
                    .isEmpty();
            assertThat(Reference.rootLinks(host)).containsExactly(host + "k");
            assertThat(IdentityCleanupTest.records(runDir)).hasSize(1);
        } finally {
            Ip.run("link", "del", host + "k");
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
