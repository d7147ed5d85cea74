package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user without root's capabilities whose first apply of a named topology meets a crash record
 * directory it may not use (root's {@code /run/netvirt}, left by an earlier run as root; a {@code /run}
 * it may not write) is told that netvirt needs root, not only to choose another directory, which
 * would take it to the next refusal. A child JVM runs as root with an empty capability bounding set,
 * against a run directory owned by nobody (or under a directory of nobody's).
 */
@RequiresRoot
class RunDirWithoutPrivilegesTest {
    private static final String NEEDS_ROOT = "needs root or CAP_NET_ADMIN and CAP_SYS_ADMIN";

    private Path base;

    @BeforeEach
    void base() throws Exception {
        base = Files.createTempDirectory("nvrd");
    }

    @AfterEach
    void removeBase() throws Exception {
        try (var s = Files.walk(base)) {
            for (Path f :
                    s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void aRunDirectoryOfAnotherUserIsRefusedWithTheNeedsRootHint() throws Exception {
        Path runDir = Files.createDirectory(base.resolve("run"));
        chownNobody(runDir);
        Files.setAttribute(runDir, "unix:mode", 0700);
        String out = childWithoutCapabilities(runDir);
        assertThat(out)
                .as(out)
                .contains("refusing to write crash records in " + runDir)
                .contains(NEEDS_ROOT);
    }

    @Test
    void aRunDirectoryThatCannotBeCreatedIsRefusedWithTheNeedsRootHint() throws Exception {
        Path parent = Files.createDirectory(base.resolve("parent"));
        chownNobody(parent);
        Files.setAttribute(parent, "unix:mode", 0755);
        Path runDir = parent.resolve("run");
        String out = childWithoutCapabilities(runDir);
        assertThat(out)
                .as(out)
                .contains("cannot create the crash record directory " + runDir)
                .contains(NEEDS_ROOT);
        assertThat(runDir).doesNotExist();
    }

    private static void chownNobody(Path p) throws Exception {
        Process chown = new ProcessBuilder("chown", "65534:65534", p.toString())
                .inheritIO()
                .start();
        assertThat(chown.waitFor()).isZero();
    }

    /** What MissingCapabilityChild printed for a named topology, run with no capabilities at all. */
    private static String childWithoutCapabilities(Path runDir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-all"));
        cmd.addAll(ChildJvm.of(runDir, MissingCapabilityChild.class, TestNames.unique("nvrd") + "-")
                .command());
        Process pr = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        pr.getOutputStream().close();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pr.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
