package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * removeDetached removes what was named and nothing else: the exact name of a namespace is taken as
 * that name, not as the prefix of another topology's names; a description whose namespace name has
 * a space is not another topology's two namespaces.
 */
@RequiresRoot
class RemoveDetachedByNameTest {
    private final String p = TestNames.unique("fr") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void theExactNameOfANamespaceIsNotTakenAsAPrefix() {
        Topology.create().prefix(p).ns("a").apply().detach();
        Topology.create().prefix(p).ns("ab").apply().detach();

        assertThat(Topology.removeDetached(p + "a")).containsExactly("netns " + p + "a");

        assertThat(Reference.namespaces(p)).containsExactly(p + "ab");
        assertThat(Topology.removeDetached(p + "a"))
                .as("no namespace named so now: a prefix")
                .containsExactly("netns " + p + "ab");
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aPrefixStillRemovesOnlyTheTopologiesAllOfWhoseNamesCarryIt() {
        Topology.create().prefix(p).ns("n0").ns("n1").apply().detach();
        Topology.create().prefix(p + "x-").ns("n0").ns("n1").apply().detach();

        assertThat(Topology.removeDetached(p + "x-"))
                .containsExactlyInAnyOrder("netns " + p + "x-n0", "netns " + p + "x-n1");

        assertThat(Reference.namespaces(p)).containsExactly(p + "n0", p + "n1");
        assertThat(Topology.removeDetached(p)).hasSize(2);
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aNameWithASpaceIsNotTwoNamespaces() {
        Topology.create().prefix(p).ns("x").ns("y").apply().detach();
        TopologyBuilder spaced = Topology.create().prefix(p).ns("x " + p + "y");

        assertThat(spaced.removeDetached()).isEmpty();

        assertThat(Reference.namespaces(p)).containsExactly(p + "x", p + "y");
        assertThat(Topology.removeDetached(p)).hasSize(2);
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
