package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The crash record follows the changes: a detached topology is found by the description it has
 * when detached, whatever namespaces changes added and took away before.
 */
@RequiresRoot
class ChangeRecordTest {
    private final String p = TestNames.unique("rc") + "-";

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
}
