package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A failed change that added a tap to an adopted namespace in which the topology made no device
 * (no device group of its own there) leaves the devices others made there meanwhile: they are in the
 * default group, which is everyone's and never a rollback's tag.
 */
@RequiresRoot
class ChangeRollbackOthersDeviceTest {
    private final String p = TestNames.unique("gQ") + "-";
    private final String adopted = p + "ad";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aDeviceAnotherMadeWhileAFailedChangeRanStays() {
        Ip.ok("netns", "add", adopted);
        try (Topology t = Topology.create()
                .prefix(p)
                .ephemeral()
                .adopt("app", adopted)
                .ns("a")
                .bridge("br0")
                .apply()) {
            TopologyBuilder change = t.change().ns("app").tap("tap1").addr("10.77.0.1/24");
            assertThat(change.plan().steps()).hasSizeGreaterThan(1);
            Runnable others = () -> Ip.ok("-n", adopted, "link", "add", "gQforeign", "type", "bridge");
            assertThatThrownBy(() -> change.apply(ApplyOptions.failingAt(1, others)))
                    .isInstanceOf(ApplyException.class);
            assertThat(Ip.ok("-n", adopted, "-o", "link", "show"))
                    .as("the other's bridge, made while the change ran")
                    .contains("gQforeign")
                    .as("the change's tap, gone with its fd")
                    .doesNotContain("tap1");
            Ip.ok("-n", adopted, "link", "del", "gQforeign");
        }
        assertThat(Ip.ok("-n", adopted, "-o", "link", "show"))
                .contains("lo")
                .doesNotContain("gQ")
                .doesNotContain("tap1");
    }
}
