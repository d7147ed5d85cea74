package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The staging file of a process that runs is its own: {@link NetNamespace#removeTakingFiles} leaves it until it ends. */
@RequiresRoot
class TakingFilesOfTheLivingTest {

    @Test
    void aRunningMakersFileIsLeftAndRemovedOnceItEnded() throws Exception {
        String n = TestNames.unique("tf");
        Process maker = new ProcessBuilder("sleep", "600").start();
        long pid = ProcPids.of(maker.pid());
        String start = ProcPids.startTime(pid);
        Path file = Path.of("/run/netns", ".netvirt-take-" + pid + "-" + start + "-1");
        try (NetNamespace keepsRunNetnsReady = NetNamespace.create(n)) {
            NetNamespace.delete(n);
            Files.createFile(file);

            assertThat(NetNamespace.removeTakingFiles(pid, start)).isEmpty();
            assertThat(file).exists();

            maker.destroyForcibly().waitFor();
            assertThat(NetNamespace.removeTakingFiles(pid, start)).containsExactly(file);
            assertThat(file).doesNotExist();
        } finally {
            maker.destroyForcibly().waitFor();
            Files.deleteIfExists(file);
            Ip.run("netns", "del", n);
        }
    }
}
