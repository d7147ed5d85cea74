package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
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
