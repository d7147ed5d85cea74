package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.DownedLink;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A route a change removes while a down other than {@link Topology#down} (a {@code LinkCut} of
 * netvirt-faults: a {@link DownedLink}) holds its device down is not given back when that down
 * ends, as it is not by {@link Topology#up} after {@link Topology#down}.
 */
@RequiresRoot
class RemoveRouteUnderLinkCutTest {
    private final String p = TestNames.unique("rb") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aRouteThatALinkCutTookIsNotGivenBackByItsHealOnceRemoved() {
        try (Topology t = RouteMetricTableTest.routes().prefix(p).apply()) {
            NetlinkHandle h = t.netlink("a");
            DownedLink cut = DownedLink.setDown(h, h.link("e0")); // as a LinkCut does
            t.change().ns("a").removeRoute("10.2.0.0/16").metric(50).apply();
            assertThat(routes(p + "a", false)).isEmpty();
            cut.setUp(h); // the LinkCut's heal
            assertThat(routes(p + "a", false))
                    .containsExactly(
                            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 0 table 100",
                            "10.2.0.0/16 via 10.100.0.2 dev e0 metric 10 table main",
                            "default via 10.100.0.2 dev e0 metric 0 table default");
            assertThat(routes(p + "a", true)).containsExactly("fd02::/64 via fd00::2 dev e0 metric 7 table 100");
        }
    }

    /** The same for an address: the down took the IPv6 one, and its heal does not give it back once removed. */
    @Test
    void anAddressThatALinkCutTookIsNotGivenBackByItsHealOnceRemoved() {
        try (Topology t = RouteMetricTableValidationTest.twoHosts().prefix(p).apply()) {
            NetlinkHandle h = t.netlink("a");
            DownedLink cut = DownedLink.setDown(h, h.link("e0")); // as a LinkCut does
            t.change().ns("a").dev("e0").removeAddr("fd00::1/64").apply();
            cut.setUp(h); // the LinkCut's heal
            assertThat(Ip.ok("-n", p + "a", "-6", "addr", "show", "dev", "e0")).doesNotContain("fd00::1/64");
            assertThat(Ip.ok("-n", p + "a", "-4", "addr", "show", "dev", "e0")).contains("10.100.0.1/24");
        }
    }
}
