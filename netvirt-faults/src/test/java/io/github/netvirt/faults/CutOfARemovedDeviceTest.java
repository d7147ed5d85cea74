package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cut outlives the device a change removed; a device a later change makes under the same name is
 * a new device, without it: the cut's heal leaves it as declared (it knows its device by namespace
 * and ifindex, and the topology never gives a new device the index of one removed).
 */
@RequiresRoot
class CutOfARemovedDeviceTest {
    private final String p = TestNames.unique("fl") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void theHealLeavesANewDeviceOfTheSameNameAsDeclared() throws Exception {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.9.0.1/24")
                .addr("fd09::1/64")
                .ns("b")
                .dev("eth0")
                .addr("10.9.0.2/24")
                .addr("fd09::2/64")
                .route("fd10::/64", "fd09::1", "eth0")
                .apply()) {
            LinkCut cut = LinkCut.cut(t.namespace("b"), "eth0");
            t.change().ns("b").removeRoute("fd10::/64").removeDevice("eth0").apply();
            t.change()
                    .ns("b")
                    .veth("eth0", "a", "eth0")
                    .addr("10.9.0.22/24")
                    .addr("fd09::22/64")
                    .down()
                    .apply();

            cut.heal();

            assertThat(cut.isActive()).isFalse();
            String link =
                    t.namespace("b").exec("ip", "-j", "link", "show", "eth0").stdout();
            assertThat(link).as("the new b/eth0 stays down").doesNotContain("\"UP\"");
            String addrs =
                    t.namespace("b").exec("ip", "-j", "addr", "show", "eth0").stdout();
            assertThat(addrs)
                    .as("its own addresses only")
                    .contains("10.9.0.22", "fd09::22")
                    .doesNotContain("10.9.0.2\"", "fd09::2\"");
            assertThat(t.namespace("b")
                            .exec("ip", "-j", "-6", "route", "show", "fd10::/64")
                            .stdout())
                    .as("the removed route stays removed")
                    .doesNotContain("fd10::");
        }
    }
}
