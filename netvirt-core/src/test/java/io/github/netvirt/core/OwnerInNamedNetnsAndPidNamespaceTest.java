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
 * An owner started inside a named netns and in a pid namespace of its own (a container sharing
 * {@code /run/netns} and the run directory): its pid 1 is not the cleaner's, so only the name
 * reaches its root namespace from here.
 */
@RequiresRoot
class OwnerInNamedNetnsAndPidNamespaceTest {
    @Test
    void theRootDevicesOfAnOwnerInANamedNetnsAndItsOwnPidNamespaceAreRemoved() throws Exception {
        String ns = TestNames.unique("gb");
        String host = ns.replace("-", "");
        Path runDir = Files.createTempDirectory("netvirt-run");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(ns)) {
            Ip.ok("netns", "add", ns);
            ProcessBuilder b = ChildJvm.of(runDir, RootHaltChild.class, host);
            List<String> cmd = new ArrayList<>(List.of(
                    "ip",
                    "netns",
                    "exec",
                    ns,
                    "unshare",
                    "--pid",
                    "--fork",
                    "--kill-child",
                    "--mount",
                    "--propagation",
                    "unchanged",
                    "sh",
                    "-c",
                    "mount --make-rprivate /proc && mount -t proc proc /proc && exec \"$@\"",
                    "sh"));
            cmd.addAll(b.command());
            Process p = b.command(cmd).start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).doesNotContain("not halted");
            assertThat(linksIn(ns, host)).as(out).containsExactlyInAnyOrder(host + "b", host + "x", host + "m");
            assertThat(IdentityCleanupTest.records(runDir)).hasSize(1);

            CleanupReport report = Cleaner.cleanup(new RunDir(runDir));
            assertThat(report.leftAlone()).isEmpty();
            assertThat(linksIn(ns, host)).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    private static List<String> linksIn(String namespace, String fragment) {
        return Ip.ok("-n", namespace, "-br", "link")
                .lines()
                .map(l -> l.split("\\s+")[0].split("@")[0])
                .filter(n -> n.contains(fragment))
                .toList();
    }
}
