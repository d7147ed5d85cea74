package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash record follows the changes: a detached topology is found by the description it has
 * when detached, whatever namespaces changes added and took away before.
 */
@RequiresRoot
class ChangeRecordTest {
    private final String p = TestNames.unique("dx") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private TopologyBuilder ab() {
        return Topology.create().prefix(p).ns("a").veth("a0", "b", "b0").ns("b");
    }

    @Test
    void aTopologyDetachedAfterAChangeThatFailedIsRemovedByItsDescription() throws Exception {
        Topology t = ab().apply();
        TopologyBuilder c = t.change().ns("c").veth("c0", "a", "a1");
        int last = c.plan().steps().size() - 1;
        assertThatThrownBy(() -> t.change().ns("c").veth("c0", "a", "a1").apply(new ApplyOptions(last)))
                .isInstanceOf(ApplyException.class);
        assertThat(Reference.namespaces(p)).containsExactly(p + "a", p + "b");
        t.detach();
        assertThat(ab().removeDetached()).containsExactlyInAnyOrder("netns " + p + "a", "netns " + p + "b");
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(Reference.records(p + "a")).isEmpty();
    }

    /**
     * A change takes its names before it makes their namespaces: one that finds a later name taken
     * gives back those it took, and its record lists none of them (it listed them, by their files,
     * after e2da689b).
     */
    @Test
    void aChangeThatFindsANameTakenGivesBackTheNamesItTookAndTheRecordListsNone() throws Exception {
        try (Topology t = ab().apply();
                NetNamespace foreign = NetNamespace.create(p + "d")) {
            assertThatThrownBy(() -> t.change().ns("c").ns("d").apply())
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("network namespace \"" + p + "d\" already exists");
            assertThat(Reference.namespaces(p)).containsExactly(p + "a", p + "b", p + "d");
            List<Path> records = Reference.records(p + "a");
            assertThat(records).hasSize(1);
            RecordEntry e = RecordParser.parse(records.get(0), Files.readAllLines(records.get(0)));
            assertThat(e.namespaces()).extracting(RecordEntry.Ns::name).containsExactly(p + "a", p + "b");
            foreign.delete();
        }
    }

    @Test
    void aTopologyDetachedAfterAChangeThatRemovedANamespaceIsRemovedByItsDescription() throws Exception {
        Topology t = ab().ns("c").apply();
        t.change().removeNamespace("c").apply();
        assertThat(Reference.namespaces(p)).containsExactly(p + "a", p + "b");
        t.detach();
        assertThat(ab().removeDetached()).containsExactlyInAnyOrder("netns " + p + "a", "netns " + p + "b");
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(Reference.records(p + "a")).isEmpty();
    }

    /**
     * The description a topology began from finds it after a change added a namespace: removeDetached()
     * of the same builder removes what the change added too.
     */
    @Test
    void aTopologyDetachedAfterAChangeThatAddedANamespaceIsRemovedByTheDescriptionItBeganFrom() throws Exception {
        TopologyBuilder b = ab();
        Topology t = b.apply();
        t.change().ns("extra").veth("x0", "a", "a1").apply();
        t.detach();
        assertThat(Reference.namespaces(p)).containsExactly(p + "a", p + "b", p + "extra");

        assertThat(b.removeDetached())
                .containsExactlyInAnyOrder("netns " + p + "a", "netns " + p + "b", "netns " + p + "extra");
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(Reference.records(p + "a")).isEmpty();
    }

    /** What a cleanup leaves of a detached topology names the namespaces it has now, a change's too. */
    @Test
    void whatCleanupLeavesOfAChangedDetachedTopologyNamesItsNamespacesNow() throws Exception {
        Topology t = ab().apply();
        t.change().ns("extra").veth("x0", "a", "a1").apply();
        t.detach();
        try {
            assertThat(Topology.cleanup().leftAlone())
                    .filteredOn(l -> l.contains(p + "a ") && l.contains("detached"))
                    .singleElement()
                    .asString()
                    .contains(p + "extra");
        } finally {
            Topology.removeDetached(p);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    /**
     * A detached topology that neither began from the description nor has exactly its namespaces is
     * another one, even when it holds one of its names: it is left, and the caller told which it is
     * and how to remove it.
     */
    @Test
    void anotherDetachedTopologyHoldingOneOfItsNamesIsLeftAndNamed() throws Exception {
        Topology.create().prefix(p).ns("a").ns("other").apply().detach();

        assertThatThrownBy(() -> ab().removeDetached())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("netns " + p + "a")
                .hasMessageContaining("Topology.removeDetached(\"" + p + "a\")");
        assertThat(Reference.namespaces(p)).containsExactly(p + "a", p + "other");
        assertThat(Topology.create().prefix(p).ns("c").removeDetached())
                .as("nothing kept holds one of its names")
                .isEmpty();

        assertThat(Topology.removeDetached(p + "a"))
                .containsExactlyInAnyOrder("netns " + p + "a", "netns " + p + "other");
        assertThat(ab().removeDetached())
                .as("nothing kept holds one of its names now")
                .isEmpty();
    }
}
