package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A change starts from the whole description: what it does not mention stays as it was built. */
@RequiresRoot
class ChangeKeepsDevicesTest {
    private final String p = TestNames.unique("rc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aTopologyWithAQuietTapAndALinkConditionCanBeChanged() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .tap("rc0")
                .quiet()
                .veth("rc1", "b", "rc2")
                .delay(Duration.ofMillis(5))
                .loss(0.01)
                .ns("b")
                .apply()) {
            LinkCondition condition = t.spec().device("a", "rc1").condition();

            TopologyBuilder change = t.change().ns("c").tap("rc3");
            assertThat(change.toScript())
                    .as("the change's script: its own steps only")
                    .doesNotContain("rc1");
            change.apply();

            assertThat(t.spec().findNamespace("c")).isPresent();
            assertThat(t.spec().device("a", "rc0").quiet()).isTrue();
            assertThat(t.spec().device("a", "rc1").condition()).isEqualTo(condition);
            assertThat(Sysctls.of(t.namespace("a")).ipv6Disabled("rc0")).isTrue();
            assertThat(t.conditions()).hasSize(1);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
