package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A detached topology outlives its handle; cleanup() leaves it alone; removeDetached() removes it. */
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
        Topology.cleanup();
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
}
