package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A detached topology whose names were removed by hand ({@code ip netns del}, as netvirt-junit's
 * keepOnFailure message suggests) while the process it started detached still runs: that process
 * holds a namespace without a name, so something of the topology is left, and a cleanup keeps its
 * record for removeDetached to end it. Once nothing is left, the cleanup deletes the record and says so.
 */
@RequiresRoot
class DetachedNamesRemovedByHandTest {
    private final String p = TestNames.unique("gi") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aCleanupKeepsTheRecordOfADetachedProcessThatStillRuns() throws Exception {
        Path runDir = Files.createTempDirectory("netvirt-run");
        long pid = -1;
        try {
            pid = detachedWithNamesRemovedByHand(runDir);

            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));

            System.out.println("cleanup: " + r);
            assertThat(records(runDir)).as("the record of the running process").hasSize(1);
            assertThat(r.leftAlone()).anyMatch(l -> l.contains(p + "net0") && l.contains("detached"));
            assertThat(r.removed()).isEmpty();
            List<String> removed = Cleaner.removeDetached(new RunDir(runDir), p);
            String process = "process " + pid + " (sleep)";
            assertThat(removed).anyMatch(l -> l.startsWith(process));
            assertGone(pid);
            assertThat(records(runDir)).isEmpty();
        } finally {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Cleaner.removeDetached(new RunDir(runDir), p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void aCleanupReportsTheRecordItDeletesOnceNothingIsLeft() throws Exception {
        Path runDir = Files.createTempDirectory("netvirt-run");
        long pid = -1;
        try {
            pid = detachedWithNamesRemovedByHand(runDir);
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertGone(pid);

            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));

            System.out.println("cleanup: " + r);
            assertThat(records(runDir)).isEmpty();
            assertThat(r.removed())
                    .singleElement()
                    .satisfies(l -> assertThat(l)
                            .startsWith("record of the detached topology")
                            .contains(p + "net0")
                            .contains("nothing of it was left"));
        } finally {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Cleaner.removeDetached(new RunDir(runDir), p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    /** A child JVM's detached topology with a detached sleep, its three names then deleted by hand; the sleep's pid. */
    private long detachedWithNamesRemovedByHand(Path runDir) throws Exception {
        Process child = ChildJvm.of(runDir, DetachedProcessChild.class, p).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as(out).isZero();
        long pid = Long.parseLong(out.lines()
                .filter(l -> l.startsWith("pid "))
                .findFirst()
                .orElseThrow()
                .substring(4));
        for (String n : List.of("net0", "net1", "bridge")) {
            Ip.ok("netns", "del", p + n);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(records(runDir)).hasSize(1);
        return pid;
    }

    private static List<Path> records(Path runDir) throws Exception {
        try (var s = Files.list(runDir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".topology"))
                    .toList();
        }
    }

    private static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(Path.of("/proc/" + pid)).doesNotExist();
    }
}
