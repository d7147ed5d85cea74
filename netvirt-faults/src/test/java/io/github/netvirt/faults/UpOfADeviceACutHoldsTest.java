package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Topology.up()} of a device that only a cut holds down (no {@code down()} of the topology's)
 * leaves it down, as an up after the topology's own down does while a cut holds it: set up, the
 * device would carry traffic without the routes the cut took, and the cut would no longer cut.
 * When the cut heals, the device comes back as it was.
 */
@RequiresRoot
class UpOfADeviceACutHoldsTest {
    private final String p = TestNames.unique("iPuc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private boolean up() {
        return Ip.ok("-n", p + "a", "-j", "link", "show", "dev", "c0").contains("\"UP\"");
    }

    private String routes() {
        return Ip.ok("-n", p + "a", "route", "show", "table", "main");
    }

    @Test
    void anUpOfTheTopologysLeavesADeviceACutHoldsDownUntilTheCutHeals() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("c0", "b", "d0")
                .addr("10.21.0.1/30")
                .route("10.99.0.0/16", "10.21.0.2")
                .ns("b")
                .dev("d0")
                .addr("10.21.0.2/30")
                .apply()) {
            String before = routes();
            assertThat(before).contains("10.99.0.0/16 via 10.21.0.2");
            LinkCut cut = LinkCut.cut(t.namespace("a"), "c0");
            t.up("a", "c0");
            assertThat(up()).as("c0 up while the cut holds it").isFalse();
            cut.heal();
            assertThat(up()).isTrue();
            assertThat(routes()).isEqualTo(before);
        }
    }
}
