package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record of a detached topology locked by a process that is no netvirt cleaner ({@code flock}
 * on the file, exclusive or shared): removeDetached cannot claim it, so it removes nothing of that
 * topology and says so, naming its namespaces and the process that holds the lock, rather than
 * returning an empty list as if nothing had matched; cleanup() reports it the same way, not as a
 * topology whose owner runs. Once the lock is let go, removeDetached removes it.
 */
@RequiresRoot
class ForeignLockedDetachedRecordTest {
    private final String p = TestNames.unique("sb8") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Whatever failed: the lock is let go by then, so this removes the topology and its record. */
    @AfterEach
    void removeIt() {
        Topology.removeDetached(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-x", "-s"})
    void aDetachedRecordLockedByAnotherProcessIsReportedNotSilentlySkipped(String mode) throws Exception {
        Topology.create().prefix(p).ns("a").ns("b").apply().detach();
        List<Path> records = Reference.records(p + "a");
        assertThat(records).hasSize(1);
        Path record = records.get(0);
        // flock(1) takes the lock, then runs sh, which inherits the locked file and says so
        Process locker = new ProcessBuilder("flock", mode, record.toString(), "sh", "-c", "echo locked; exec sleep 600")
                .redirectErrorStream(true)
                .start();
        try {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(locker.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).isEqualTo("locked");

                assertThatThrownBy(() -> Topology.removeDetached(p))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(p + "a")
                        .hasMessageContaining(p + "b")
                        .hasMessageContaining(record.getFileName().toString())
                        .hasMessageContaining("locked by another process")
                        .hasMessageContaining("pid " + locker.pid() + " (flock)");
                assertThatThrownBy(() ->
                                Topology.create().prefix(p).ns("a").ns("b").removeDetached())
                        .as("by its description: the same")
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(record.getFileName().toString())
                        .hasMessageContaining("locked by another process");
                assertThat(namespacesInIp()).contains(p + "a", p + "b");
                assertThat(Reference.records(p + "a")).containsExactly(record);

                assertThat(Topology.cleanup().leftAlone())
                        .as("cleanup() says the same, not that its owner runs")
                        .anyMatch(l -> l.contains(record.getFileName().toString())
                                && l.contains("detached")
                                && l.contains("locked by another process")
                                && l.contains("pid " + locker.pid() + " (flock)"))
                        .noneMatch(l -> l.contains(record.getFileName().toString()) && l.contains("owner is running"));
                assertThat(namespacesInIp()).contains(p + "a", p + "b");
            }
        } finally {
            stop(locker);
        }

        assertThat(Topology.removeDetached(p)).containsExactlyInAnyOrder("netns " + p + "a", "netns " + p + "b");
        assertThat(namespacesInIp()).noneMatch(n -> n.startsWith(p));
        assertThat(Reference.records(p + "a")).isEmpty();
    }

    /** The names {@code ip netns list} shows. */
    private static List<String> namespacesInIp() {
        return Ip.ok("netns", "list").lines().map(l -> l.split(" ")[0]).toList();
    }

    /** Ends flock and the sleep it started (which holds the locked file too), by their pids. */
    private static void stop(Process locker) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(locker.descendants().toList());
        all.add(locker.toHandle());
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : all) {
            h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }
}
