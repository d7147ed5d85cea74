package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.ChildJvm;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A device group is drawn unused by every crash record, so no two records name one in one namespace:
 * a dead owner's record that holds a line of a live topology's record (a record corrupted, two files'
 * blocks mixed) names devices that are not its own. Its cleanup must leave them to the live topology.
 */
@RequiresRoot
class LiveTopologysLineInADeadRecordTest {
    private static final String DEAD = "99999999-1-";
    private static final String HEADER =
            CrashRecord.MAGIC + "\nowner 99999999 1\nboot " + Owner.bootId() + "\ntopology x\n";

    /** The line of the one record in {@code runDir} that starts with {@code kind + " "}. */
    private static String lineOf(Path runDir, String kind) throws Exception {
        try (var files = Files.list(runDir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".topology")).toList()) {
                for (String l : Files.readAllLines(f)) {
                    if (l.startsWith(kind + " ")) {
                        return l;
                    }
                }
            }
        }
        throw new AssertionError("no " + kind + " line in " + runDir);
    }

    /** Whether process {@code pid} runs: there, and no zombie. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException gone) {
            return false;
        }
    }

    private static void end(Process child, Path runDir) throws Exception {
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Files.deleteIfExists(runDir.resolve(DEAD + "1.topology"));
        Cleaner.cleanup(new RunDir(runDir)); // the child's own record: what it made goes
    }

    @Test
    void aDeadRecordHoldingALiveTopologysRootLineLeavesItsRootDevices() throws Exception {
        String p = TestNames.unique("lr") + "-";
        String root = TestNames.unique("lr").replace("-", "");
        Path runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-lr-");
        try (DeleteNetnsAfter gone = DeleteNetnsAfter.prefixed(p)) {
            Process child = ChildJvm.startUntil(
                    "applied",
                    List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                    HoldChild.class,
                    p,
                    "1",
                    root);
            try {
                Files.writeString(runDir.resolve(DEAD + "1.topology"), HEADER + lineOf(runDir, "root") + "\n");
                CleanupReport report = Cleaner.cleanup(new RunDir(runDir));
                assertThat(Reference.rootLinks(root))
                        .as("the live topology's root veth end; cleanup: %s", report)
                        .containsExactly(root + "1");
                assertThat(report.leftAlone()).anyMatch(l -> l.contains("named by the record of a live topology too"));
            } finally {
                end(child, runDir);
            }
            assertThat(Reference.rootLinks(root)).isEmpty();
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    /** A namespace's two lines (its name's file, its cookie) of a live topology's record. */
    @Test
    void aDeadRecordHoldingALiveTopologysNamespaceLinesLeavesItsName() throws Exception {
        String p = TestNames.unique("ln") + "-";
        Path runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-ln-");
        try (DeleteNetnsAfter gone = DeleteNetnsAfter.prefixed(p)) {
            Process child = ChildJvm.startUntil(
                    "applied",
                    List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                    HoldChild.class,
                    p,
                    "1");
            try {
                String file = lineOf(runDir, "ns-file");
                String name = file.split(" ")[2];
                String ns = null;
                try (var files = Files.list(runDir)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".topology"))
                            .toList()) {
                        for (String l : Files.readAllLines(f)) {
                            if (l.startsWith("ns ") && l.endsWith(" " + name)) {
                                ns = l;
                            }
                        }
                    }
                }
                Files.writeString(runDir.resolve(DEAD + "1.topology"), HEADER + file + "\n" + ns + "\n");
                CleanupReport report = Cleaner.cleanup(new RunDir(runDir));
                assertThat(Reference.namespaces(p))
                        .as("the live topology's namespaces; cleanup: %s", report)
                        .contains(name);
                assertThat(report.leftAlone()).anyMatch(l -> l.contains("named by the record of a live topology too"));
            } finally {
                end(child, runDir);
            }
            assertThat(Reference.namespaces(p)).isEmpty();
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    /** A detached topology lives on after its owner: the process it started detached is its own. */
    @Test
    void aDeadRecordHoldingADetachedTopologysProcessLineLeavesItRunning() throws Exception {
        String p = TestNames.unique("lp") + "-";
        Path runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-lp-");
        try (DeleteNetnsAfter gone = DeleteNetnsAfter.prefixed(p)) {
            Process child = io.github.netvirt.core.ChildJvm.of(runDir, DetachedProcessChild.class, p)
                    .start();
            String out = new String(child.getInputStream().readAllBytes());
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long pid = Long.parseLong(out.substring(out.indexOf("pid ") + 4).trim());
            try {
                Files.writeString(runDir.resolve(DEAD + "1.topology"), HEADER + lineOf(runDir, "process") + "\n");
                CleanupReport report = Cleaner.cleanup(new RunDir(runDir));
                assertThat(running(pid))
                        .as("the detached topology's process; cleanup: %s", report)
                        .isTrue();
                assertThat(report.leftAlone()).anyMatch(l -> l.contains("named by the record of a live topology too"));
            } finally {
                Files.deleteIfExists(runDir.resolve(DEAD + "1.topology"));
                Cleaner.removeDetached(new RunDir(runDir), p);
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void aDeadRecordHoldingALiveTopologysAdoptedLineLeavesItsDevicesThere() throws Exception {
        String p = TestNames.unique("la") + "-";
        String adopted = p + "ad";
        Path runDir = Files.createTempDirectory(Path.of("/run"), "netvirt-la-");
        try (DeleteNetnsAfter gone = DeleteNetnsAfter.prefixed(p)) {
            Ip.ok("netns", "add", adopted);
            Process child = ChildJvm.startUntil(
                    "applied",
                    List.of("-Dnetvirt.run.dir=" + runDir, "-Dnetvirt.reaper=false"),
                    AdoptChild.class,
                    p,
                    adopted);
            try {
                Files.writeString(runDir.resolve(DEAD + "1.topology"), HEADER + lineOf(runDir, "adopted") + "\n");
                CleanupReport report = Cleaner.cleanup(new RunDir(runDir));
                assertThat(AdoptTest.links("-n", adopted))
                        .as("the live topology's devices in %s; cleanup: %s", adopted, report)
                        .anyMatch(l -> l.startsWith("cbr "));
                assertThat(report.leftAlone()).anyMatch(l -> l.contains("named by the record of a live topology too"));
            } finally {
                end(child, runDir);
            }
        } finally {
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }
}
