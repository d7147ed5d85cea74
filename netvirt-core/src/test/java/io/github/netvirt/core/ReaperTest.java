package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Automatic reaping: a JVM killed mid-apply of a named topology leaves namespaces and root devices;
 * the next JVM's first apply (of an unrelated topology) removes them in the background, with no
 * user call, and spares a foreign namespace that took one of the names. (Processes running inside
 * the killed topology are not part of this test.)
 */
@RequiresRoot
class ReaperTest {
    @Test
    void theNextJvmReapsWhatAKilledOneLeftAndSparesAForeignNamespace() throws Exception {
        String p = TestNames.unique("rp") + "-";
        String root = p.replace("-", "") + "r";
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            String killedAt = runAndKillMidApply(runDir, p, root);
            List<String> left = Reference.namespaces(p);
            // someone takes one of the dead owner's names (the kernel may hand it the same nsfs inode)
            String foreign = left.isEmpty() ? p + "h3" : left.get(left.size() / 2);
            Ip.run("netns", "del", foreign);
            Ip.ok("netns", "add", foreign);
            Process second = ChildJvm.of(runDir, ReapChild.class).start();
            String reaped = new String(second.getInputStream().readAllBytes());
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            System.out.println("killed " + killedAt + "; " + left.size() + " namespaces left; " + reaped);
            assertThat(second.exitValue()).as(reaped).isZero();
            assertThat(Reference.namespaces(p)).containsExactly(foreign);
            assertThat(Reference.rootLinks(root)).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            Reference.deleteNamespaces(p);
            for (String l : Reference.rootLinks(root)) {
                Ip.run("link", "del", l);
            }
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void theSameProgramRunAgainAfterAKillAppliesTheSameNames() throws Exception {
        // reproducer: the reaper removed the dead owner's namespaces while the new apply took the
        // same names, and the apply failed with EEXIST at its first namespace
        String p = TestNames.unique("rp") + "-";
        String root = p.replace("-", "") + "r";
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            IdentityCleanupTest.kill9(IdentityCleanupTest.startHeld(runDir, p, "20", root));
            assertThat(Reference.namespaces(p)).hasSize(21);
            Process again =
                    ChildJvm.of(runDir, ReapplyChild.class, p, "20", root).start();
            String out = new String(again.getInputStream().readAllBytes());
            assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(again.exitValue()).as(out).isZero();
            assertThat(out).contains("applied 22"); // with the root namespace
            assertThat(Reference.namespaces(p)).isEmpty();
            assertThat(Reference.rootLinks(root)).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            Reference.deleteNamespaces(p);
            for (String l : Reference.rootLinks(root)) {
                Ip.run("link", "del", l);
            }
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void aNameHeldByALiveOrForeignOwnerStillFailsAndTheMessageSaysWhose() throws Exception {
        String p = TestNames.unique("rp") + "-";
        String root = p.replace("-", "") + "r";
        TopologyBuilder b = Topology.create().prefix(p).ns("a").veth("e0", Topology.ROOT, root);
        try (Topology live = b.apply()) {
            assertThatThrownBy(() -> Topology.create().prefix(p).ns("a").apply())
                    .isInstanceOfSatisfying(
                            ApplyException.class, e -> assertThat(e.errno()).isEqualTo(17))
                    .hasMessageContaining(
                            "netns " + p + "a is held by a netvirt topology of this process, which is running");
            assertThatThrownBy(() -> Topology.create()
                            .prefix(p)
                            .ns("b")
                            .veth("e0", Topology.ROOT, root)
                            .apply())
                    .isInstanceOfSatisfying(
                            ApplyException.class, e -> assertThat(e.errno()).isEqualTo(17))
                    .hasMessageContaining("device " + root + " in the root namespace is held by a netvirt topology of"
                            + " this process, which is running");
            Ip.ok("netns", "add", p + "c");
            assertThatThrownBy(() -> Topology.create().prefix(p).ns("c").apply())
                    .isInstanceOfSatisfying(
                            ApplyException.class, e -> assertThat(e.errno()).isEqualTo(17))
                    .hasMessageContaining("no crash record in")
                    .hasMessageContaining("Topology.cleanup()");
            assertThat(Reference.namespaces(p)).containsExactly(p + "a", p + "c");
        } finally {
            Reference.deleteNamespaces(p);
            for (String l : Reference.rootLinks(root)) {
                Ip.run("link", "del", l);
            }
        }
        assertThat(Reference.rootLinks(root)).isEmpty();
    }

    @Test
    void withTheReaperOffTheMessageSaysTheNameIsADeadOwnersThatCleanupRemoves() throws Exception {
        String p = TestNames.unique("rp") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            IdentityCleanupTest.kill9(IdentityCleanupTest.startHeld(runDir, p, "3"));
            Process again = ChildJvm.of(runDir, List.of("-D" + Reaper.PROPERTY + "=false"), ReapplyChild.class, p, "3")
                    .start();
            String out = new String(again.getInputStream().readAllBytes());
            assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(again.exitValue()).as(out).isNotZero();
            assertThat(out)
                    .contains(
                            "EEXIST",
                            "is held by a netvirt topology of pid",
                            "no longer running",
                            "Topology.cleanup() removes it");
            assertThat(Reference.namespaces(p)).hasSize(4); // the dead owner's, untouched
        } finally {
            Reference.deleteNamespaces(p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void aReaperCutByTheJvmsExitLeavesWhatTheNextOneFinishes() throws Exception {
        String p = TestNames.unique("rp") + "-";
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            IdentityCleanupTest.kill9(IdentityCleanupTest.startHeld(runDir, p, "40"));
            String delay = Integer.toString(ThreadLocalRandom.current().nextInt(30, 200));
            Process cut = ChildJvm.of(runDir, ExitDuringReapChild.class, delay).start();
            String out = new String(cut.getInputStream().readAllBytes());
            assertThat(cut.waitFor(60, TimeUnit.SECONDS)).isTrue();
            System.out.println("exited after " + delay + " ms with "
                    + Reference.namespaces(p).size() + " namespaces left");
            Process next = ChildJvm.of(runDir, ReapChild.class).start();
            out += new String(next.getInputStream().readAllBytes());
            assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(next.exitValue()).as(out).isZero();
            assertThat(Reference.namespaces(p)).as(out).isEmpty();
            assertThat(IdentityCleanupTest.records(runDir)).as(out).isEmpty();
        } finally {
            Reference.deleteNamespaces(p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    /**
     * Starts a child that applies and closes a named star in a loop and kills it with SIGKILL once its
     * crash record lists some namespaces, at a random moment after that: mid-apply (or mid-close).
     */
    private static String runAndKillMidApply(Path runDir, String prefix, String rootPrefix) throws Exception {
        Process p = ChildJvm.of(runDir, CrashChild.class, "named", prefix, "20", rootPrefix)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int recorded = 0;
            while (recorded < 3 && System.nanoTime() < deadline) {
                for (Path r : IdentityCleanupTest.records(runDir)) {
                    try {
                        recorded = Math.max(recorded, (int) Files.readAllLines(r).stream()
                                .filter(l -> l.startsWith("ns "))
                                .count());
                    } catch (IOException gone) {
                        // closed meanwhile
                    }
                }
            }
            assertThat(recorded).as("namespaces recorded by the child").isGreaterThanOrEqualTo(3);
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 10));
            assertThat(Ip.exec(List.of("kill", "-9", Long.toString(p.pid()))).exitCode())
                    .isZero();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            return "with " + recorded + "+ namespaces recorded";
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSystemPropertyTurnsItOff() throws Exception {
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            Path planted = Files.writeString(runDir.resolve("99999999-1-1.topology"), "");
            Process p = ChildJvm.of(runDir, List.of("-D" + Reaper.PROPERTY + "=false"), ReapChild.class)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out).contains("removed []");
            assertThat(planted).exists(); // a dead owner's empty record: the reaper would have removed it
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void aValueOtherThanTrueOrFalseIsRefusedBeforeAnythingIsMade() throws Exception {
        // reproducer: Boolean.parseBoolean read "1", "yes", "on" and typos as false: the reaper went off silently
        for (String value : List.of("1", "yes", "on", "ture")) {
            Path runDir = Files.createTempDirectory("netvirt-run");
            try {
                Path planted = Files.writeString(runDir.resolve("99999999-1-1.topology"), "");
                Process p = ChildJvm.of(runDir, List.of("-D" + Reaper.PROPERTY + "=" + value), ReapChild.class)
                        .start();
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(out).isNotZero();
                assertThat(out).contains("IllegalArgumentException", Reaper.PROPERTY, "\"" + value + "\"");
                assertThat(planted).exists();
            } finally {
                IdentityCleanupTest.deleteRunDir(runDir);
            }
        }
    }

    @Test
    void aValueSetAfterTheFirstApplyIsRefusedToo() throws Exception {
        // reproducer: the property was read once per JVM; set to "maybe" after an apply, it was ignored
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            Process p = ChildJvm.of(runDir, ReaperPropertyChangedChild.class, "maybe")
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(out)
                    .contains("reapInBackground refused: system property " + Reaper.PROPERTY + "=\"maybe\"")
                    .contains("apply refused: system property " + Reaper.PROPERTY + "=\"maybe\"")
                    .doesNotContain("returned");
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void trueAndFalseAreReadWhateverTheirCase() throws Exception {
        for (String value : List.of("FALSE", "TRUE")) {
            Path runDir = Files.createTempDirectory("netvirt-run");
            try {
                Path planted = Files.writeString(runDir.resolve("99999999-1-1.topology"), "");
                Process p = ChildJvm.of(runDir, List.of("-D" + Reaper.PROPERTY + "=" + value), ReapChild.class)
                        .start();
                String out = new String(p.getInputStream().readAllBytes());
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(out).isZero();
                assertThat(Files.exists(planted)).as(out).isEqualTo(value.equals("FALSE"));
            } finally {
                IdentityCleanupTest.deleteRunDir(runDir);
            }
        }
    }
}
