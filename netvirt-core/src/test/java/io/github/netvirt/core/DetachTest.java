package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A detached topology outlives its handle; cleanup() leaves it alone; removeDetached() removes it,
 * by prefix or by the name of one of its namespaces, and touches nothing foreign.
 */
@RequiresRoot
class DetachTest {
    private final String p = TestNames.unique("co") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void detachedTopologySurvivesUntilRemoved() throws Exception {
        Topology t = Seeds.seed().prefix(p).apply();
        t.detach();
        assertThat(t.isOpen()).isFalse();
        t.close(); // harmless, removes nothing
        assertThat(Reference.namespaces(p)).hasSize(3);
        assertThat(Ip.ok("-n", p + "net0", "-br", "addr")).contains("10.0.1.1/24");
        // its owner (this JVM) is alive, and it is kept: cleanup() must not touch it
        assertThat(Topology.cleanup().leftAlone())
                .as("cleanup says what it left")
                .anyMatch(l -> l.contains(p + "net0") && l.contains("detached"));
        assertThat(Reference.namespaces(p)).hasSize(3);
        assertThat(Reference.records(p + "net0")).hasSize(1);
        assertThat(Seeds.seed().prefix(p).removeDetached())
                .containsExactlyInAnyOrder("netns " + p + "net0", "netns " + p + "net1", "netns " + p + "bridge");
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(Reference.records(p + "net0")).isEmpty();
    }

    /**
     * What netvirt started with startDetached goes with the detached topology: removeDetached ends it
     * (a process ignoring SIGTERM, and its child, get SIGKILL) rather than leaving it in a namespace
     * that lost its name; the namespace then dies with it.
     */
    @Test
    void removeDetachedEndsTheProcessesStartedDetached() throws Exception {
        Topology t = Seeds.seed().prefix(p).apply();
        NetNamespace net0 = t.namespace("net0");
        Process plain = net0.startDetached(new ProcessBuilder("sleep", "300"));
        Process stubborn = net0.startDetached(new ProcessBuilder("sh", "-c", "trap '' TERM; sleep 301 & wait"));
        List<Process> started = List.of(plain, stubborn);
        try {
            Set<Long> pids = new HashSet<>(List.of(plain.pid(), stubborn.pid()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // its child sleep: netvirt's wrapper may have short-lived children of its own before it execs sh
            while (stubborn.toHandle().children().noneMatch(DetachTest::isSleep) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            stubborn.toHandle().children().filter(DetachTest::isSleep).forEach(c -> pids.add(c.pid()));
            assertThat(pids).as("sleep 300, sh and its sleep 301").hasSize(3);
            t.detach();
            assertThat(plain.isAlive() && stubborn.isAlive()).isTrue();
            // each by its pidfd's inode too (pidfs), which no other process of the boot has
            List<Path> records = Reference.records(p + "net0");
            assertThat(records).hasSize(1);
            assertThat(Files.readAllLines(records.get(0)))
                    .contains("process " + plain.pid() + " " + ProcPids.startTime(plain.pid()) + " "
                            + Long.toUnsignedString(net0.cookie()) + " " + pidfsInode(plain.pid()));

            List<String> removed = Topology.removeDetached(p);

            assertThat(removed)
                    .contains("netns " + p + "net0", "netns " + p + "net1", "netns " + p + "bridge")
                    .anyMatch(r -> r.startsWith("process " + plain.pid() + " ") && r.contains(p + "net0"))
                    .anyMatch(r -> r.startsWith("process " + stubborn.pid() + " "));
            for (Process s : started) {
                assertThat(s.waitFor(5, TimeUnit.SECONDS)).isTrue();
            }
            for (long pid : pids) {
                // not a zombie either: the children's parent (sh) is gone, so init reaps them
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(Path.of("/proc/" + pid)).as("pid %d", pid).doesNotExist();
            }
            assertThat(Reference.namespaces(p)).isEmpty();
        } finally {
            started.forEach(s -> {
                s.descendants().forEach(ProcessHandle::destroyForcibly);
                s.destroyForcibly();
            });
        }
    }

    private static long pidfsInode(long pid) {
        int pidfd = Sys.pidfdOf(pid);
        try {
            return Sys.pidfsInode(pidfd);
        } finally {
            Sys.closeQuietly(pidfd);
        }
    }

    private static boolean isSleep(ProcessHandle h) {
        return h.info().command().map(c -> c.endsWith("/sleep")).orElse(false);
    }

    /**
     * The restart story: the JVM that detached is gone (its detached process now init's child), and
     * another JVM's removeDetached ends the process before it removes the names.
     */
    @Test
    void removeDetachedInAnotherJvmEndsTheProcessTheDeadOwnerStartedDetached() throws Exception {
        Path runDir = Files.createTempDirectory("netvirt-run");
        long pid = -1;
        try {
            Process child = ChildJvm.of(runDir, DetachedProcessChild.class, p).start();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as(out).isZero();
            pid = Long.parseLong(out.lines()
                    .filter(l -> l.startsWith("pid "))
                    .findFirst()
                    .orElseThrow()
                    .substring(4));
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .as("outlives its JVM")
                    .contains(true);

            List<String> removed = Cleaner.removeDetached(new RunDir(runDir), p);

            assertThat(removed).contains("process " + pid + " (sleep) in netns " + p + "net0", "netns " + p + "net0");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(Path.of("/proc/" + pid)).doesNotExist();
            assertThat(Reference.namespaces(p)).isEmpty();
            assertThat(Cleaner.removeDetached(new RunDir(runDir), p)).isEmpty();
        } finally {
            if (pid > 0) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            Cleaner.removeDetached(new RunDir(runDir), p);
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    /**
     * A process the topology did not start (here through a handle opened by name after detach, as a
     * new JVM would) is not removeDetached's to end; it keeps the namespace alive without its name,
     * and the result says so, with its pid.
     */
    @Test
    void removeDetachedNamesTheProcessesItLeavesHoldingANamespace() throws Exception {
        Seeds.seed().prefix(p).apply().detach();
        Process other;
        try (NetNamespace byName = NetNamespace.open(p + "net0")) {
            other = byName.startDetached(new ProcessBuilder("sleep", "302"));
        }
        try {
            List<String> removed = Topology.removeDetached(p);

            assertThat(removed)
                    .contains("netns " + p + "net1", "netns " + p + "bridge")
                    .anyMatch(
                            // the command may still be netvirt's wrapper shell, before it has exec'd sleep
                            r -> r.startsWith("netns " + p + "net0 ") && r.contains("pid " + other.pid() + " ("));
            assertThat(other.isAlive()).as("not the topology's to end").isTrue();
            assertThat(Reference.namespaces(p)).isEmpty();
        } finally {
            other.destroyForcibly();
            other.waitFor();
        }
    }

    @Test
    void ephemeralAndTapTopologiesCannotBeDetached() {
        try (Topology t = Seeds.seed().ephemeral().apply()) {
            assertThatThrownBy(t::detach)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ephemeral");
        }
        try (Topology t = Topology.create().prefix(p).ns("a").tap("t0").apply()) {
            assertThatThrownBy(t::detach)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("taps");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void byPrefixRemovesTheKeptTopologyAndNothingForeign() throws Exception {
        Seeds.seed().prefix(p).apply().detach();
        assertThat(Reference.namespaces(p)).containsExactly(p + "bridge", p + "net0", p + "net1");
        // a namespace with the prefix that no topology made
        Ip.ok("netns", "add", p + "other");
        // and one that took the name of the topology's net1 after it was deleted by hand; the
        // handle keeps the original alive, so the new one cannot reuse its identity
        try (NetNamespace original = NetNamespace.open(p + "net1")) {
            Ip.ok("netns", "del", p + "net1");
            Ip.ok("netns", "add", p + "net1");
            assertThat(Topology.removeDetached(p))
                    .containsExactlyInAnyOrder("netns " + p + "net0", "netns " + p + "bridge");
        }
        assertThat(Reference.namespaces(p)).containsExactly(p + "net1", p + "other");
        assertThat(Reference.records(p + "net0"))
                .as("the record is gone with the topology")
                .isEmpty();
        assertThat(Topology.removeDetached(p)).isEmpty();
        assertThat(Reference.namespaces(p)).containsExactly(p + "net1", p + "other");
    }

    @Test
    void byTheNameOfOneOfItsNamespaces() throws Exception {
        Seeds.seed().prefix(p).apply().detach();
        assertThat(Topology.removeDetached(p + "net"))
                .as("a prefix that not all of its namespaces carry")
                .isEmpty();
        assertThat(Reference.namespaces(p)).hasSize(3);
        assertThat(Topology.removeDetached(p + "bridge"))
                .containsExactlyInAnyOrder("netns " + p + "net0", "netns " + p + "net1", "netns " + p + "bridge");
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aLiveTopologyIsNotRemovedAndAnEmptyPrefixIsRefused() {
        try (Topology live = Seeds.seed().prefix(p).apply()) {
            assertThat(Topology.removeDetached(p)).isEmpty();
            assertThat(Reference.namespaces(p)).hasSize(3);
            assertThat(live.namespace("net0").isOpen()).isTrue();
        }
        assertThatThrownBy(() -> Topology.removeDetached(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every detached topology");
        assertThatThrownBy(() -> Topology.removeDetached(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
