package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a cleanup report describes a record: "changed since" only where the named namespaces changed. */
class RecordDescriptionTest {
    private static final Path P = Path.of("/nonexistent/4242-777-1.topology");

    private static CrashRecord.Entry entry(String description, String... namespaces) {
        List<String> lines = new ArrayList<>(
                List.of(CrashRecord.MAGIC, "owner 4242 777", "boot " + Owner.bootId(), "topology " + description));
        long cookie = 4097;
        for (String n : namespaces) {
            lines.add("ns " + cookie++ + " " + n);
        }
        return CrashRecord.parse(P, lines);
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
        assertThat(Cleaner.changedSince(entry("gj-x gj-y", "gj-x"))).isEqualTo(", changed since: now netns gj-x");
        assertThat(Cleaner.changedSince(entry("gj-x"))).isEqualTo(", changed since: now no named namespace");
    }
}
