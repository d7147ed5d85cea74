package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The name under /run/netns by which a crash record says its owner's root namespace is reached is
 * the one that holds it when the record is written, not the one it had when the JVM first looked.
 */
@RequiresRoot
class RenamedOwnerNetnsTest {
    @Test
    void theRootDevicesOfAnOwnerWhoseNetnsWasNamedAnewAreRemovedThere() throws Exception {
        String old = TestNames.unique("gb");
        String ns = TestNames.unique("gb");
        String host = ns.replace("-", "");
        Path runDir = Files.createTempDirectory("netvirt-run");
        try (DeleteNetnsAfter cleanupOld = DeleteNetnsAfter.of(old);
                DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(ns)) {
            Ip.ok("netns", "add", old);
            ProcessBuilder b = ChildJvm.of(runDir, List.of("-Dnetvirt.reaper=false"), RenamedNetnsChild.class, host);
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", old));
            cmd.addAll(b.command());
            Process p = b.command(cmd).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            List<String> out = new ArrayList<>();
            while ((line = r.readLine()) != null && !line.equals("applied")) {
                out.add(line);
            }
            assertThat(line).as("child output %s", out).isEqualTo("applied");
            // the namespace the owner runs in gets another name; the one it had is removed
            Ip.ok("netns", "attach", ns, Long.toString(p.pid()));
            Ip.ok("netns", "del", old);
            p.getOutputStream().write('\n');
            p.getOutputStream().flush();
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(rest).doesNotContain("not halted");
            assertThat(linksIn(ns, host)).as(rest).containsExactlyInAnyOrder(host + "b", host + "x", host + "m");

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
