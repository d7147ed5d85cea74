package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.faults.impair.Endpoint;
import io.github.netvirt.faults.impair.ImpairedLink;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.impair.Impairment;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cut of an impaired link's TAP in a topology's namespace outlives the TAP; a tap a change makes
 * there afterwards is another device, which the cut does not hold down: the kernel numbered the
 * impaired link's TAP, and the topology never numbers a device of its own with an index the kernel
 * gave out there.
 */
@RequiresRoot
class CutOfAnImpairedLinksTapTest {
    private final String p = TestNames.unique("fi") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aTapMadeAfterTheImpairedLinkClosedIsNotHeldDownByItsCut() throws Exception {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("v0", "b", "p0")
                .addr("10.1.0.1/24")
                .ns("b")
                .dev("p0")
                .addr("10.1.0.2/24")
                .apply()) {
            ImpairedLink link = ImpairedLink.open(
                    Endpoint.of(t.namespace("a"), "imp0", InetAddress.getByName("10.9.0.1"), 24),
                    Endpoint.of(t.namespace("b"), "imp0", InetAddress.getByName("10.9.0.2"), 24),
                    Impairment.NONE,
                    1);
            int impaired = t.netlink("a").linkGet("imp0").orElseThrow().index();
            LinkCut cut = LinkCut.cut(t.namespace("a"), "imp0");
            link.close(); // the TAP goes while the cut is in force
            t.change().ns("a").tap("tap1").quiet().apply();
            try {
                assertThat(t.link("a", "tap1").index()).as("the new a/tap1").isNotEqualTo(impaired);
                t.down("a", "tap1");
                t.up("a", "tap1");
                assertThat(t.link("a", "tap1").isUp())
                        .as("a/tap1 after its own down and up")
                        .isTrue();
            } finally {
                cut.heal();
            }
        }
    }
}
