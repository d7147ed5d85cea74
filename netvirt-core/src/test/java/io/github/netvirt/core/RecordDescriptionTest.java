package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a cleanup report describes a record: "changed since" only where the named namespaces changed. */
class RecordDescriptionTest {
    private static final Path P = Path.of("/nonexistent/4242-777-1.topology");

    private static RecordEntry entry(String description, String... namespaces) {
        return RecordParser.parse(P, lines(description, namespaces));
    }

    private static List<String> lines(String description, String... namespaces) {
        List<String> lines = new ArrayList<>(
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "topology " + description));
        long cookie = 4097;
        for (String n : namespaces) {
            lines.add("ns " + cookie++ + " " + n);
        }
        return lines;
    }

    /** The record of {@code description} with {@code namespaces}, then those of {@code removed} deleted by a change. */
    private static RecordEntry changed(String description, List<String> namespaces, String... removed) {
        List<String> lines = lines(description, namespaces.toArray(String[]::new));
        for (String r : removed) {
            lines.add("ns-del " + (4097 + namespaces.indexOf(r)) + " " + r);
        }
        return RecordParser.parse(P, lines);
    }

    @Test
    void adoptedNamespacesAsBeginWroteThemAreNotAChange() {
        String described = RootDevices.describe(Topology.create()
                .prefix("gj-")
                .ns("x")
                .veth("eth0", "ad", "eth1")
                .adoptPid("ad", ProcessHandle.current().pid())
                .spec());
        assertThat(described).contains("(adopted pid ");
        assertThat(Cleaner.changedSince(entry(described, "gj-x"))).isEmpty();
        assertThat(Cleaner.changedSince(entry("gj-x ad(adopted netns hy-adp)", "gj-x")))
                .isEmpty();
        assertThat(Cleaner.changedSince(entry("ad(adopted handle (unnamed)) gj-x (root)", "gj-x")))
                .isEmpty();
    }

    @Test
    void namedNamespacesOtherThanDescribedAreAChange() {
        assertThat(Cleaner.changedSince(entry("gj-x ad(adopted netns hy-adp)", "gj-x", "gj-y")))
                .isEqualTo(", changed since: now netns gj-x gj-y");
        assertThat(Cleaner.changedSince(entry("gj-x ad(adopted netns gj-y)", "gj-y")))
                .isEqualTo(", changed since: now netns gj-y");
        assertThat(Cleaner.changedSince(changed("gj-x gj-y", List.of("gj-x", "gj-y"), "gj-y")))
                .isEqualTo(", changed since: now netns gj-x");
        assertThat(Cleaner.changedSince(changed("gj-x", List.of("gj-x"), "gj-x")))
                .isEqualTo(", changed since: now no named namespace");
        assertThat(Cleaner.changedSince(changed("gj-x gj-y", List.of("gj-x", "gj-y", "gj-z"), "gj-y")))
                .isEqualTo(", changed since: now netns gj-x gj-z");
    }

    /**
     * A record caught while its first apply writes it (a concurrent cleanup of a live owner, or the
     * record of one killed mid-apply): the namespaces its NS_ADD steps have noted so far, in whatever
     * order the two switching threads note them. Not a change: no change() ran.
     */
    @Test
    void aRecordWrittenUpToAPointOfItsApplyIsNoChange() {
        List<String> whole = lines("gj-a gj-b gj-c ad(adopted netns hy-adp) e(ephemeral)", "gj-c", "gj-a", "gj-b");
        for (int n = 4; n <= whole.size(); n++) {
            RecordEntry upTo = RecordParser.parse(P, whole.subList(0, n));
            assertThat(Cleaner.changedSince(upTo)).as("the first %d lines", n).isEmpty();
        }
    }

    /**
     * What a cleanup reports of a live owner's record that its apply has written up to its first
     * namespace (this process's record, held open as an apply holds it): its owner is running, and
     * no change is claimed.
     */
    @Test
    void aCleanupCatchingALiveApplyMidwayReportsNoChange(@TempDir Path tmp) {
        RunDir dir = new RunDir(tmp.resolve("run"));
        try (CrashRecord r = CrashRecord.begin(dir, "gj-a gj-b gj-c")) {
            assertThat(Cleaner.cleanup(dir).leftAlone())
                    .containsExactly("topology gj-a gj-b gj-c (of this process, "
                            + r.path().getFileName() + "): its owner is running");
            r.nsCreated("gj-c", 4097);
            assertThat(Cleaner.cleanup(dir).leftAlone())
                    .containsExactly("topology gj-a gj-b gj-c (of this process, "
                            + r.path().getFileName() + "): its owner is running");
        }
        assertThat(Cleaner.cleanup(dir).leftAlone()).isEmpty();
    }

    /** A change that adds a namespace, caught while it writes the record, has changed it already. */
    @Test
    void aChangeAddingANamespaceIsAChangeFromItsFirstLine() {
        assertThat(Cleaner.changedSince(entry("gj-a gj-b", "gj-b", "gj-a", "gj-d")))
                .isEqualTo(", changed since: now netns gj-b gj-a gj-d");
        assertThat(Cleaner.changedSince(entry("gj-a gj-b", "gj-a", "gj-d")))
                .isEqualTo(", changed since: now netns gj-a gj-d");
    }
}
