package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One IPv4 subnet on two devices of a namespace: the kernel takes both addresses and lists a prefix
 * route of each, the one added first first, and a route via a gateway on that subnet declared
 * without a device goes out of the first ({@code ip -j route get} says so too). A change that adds
 * such a route and removes that device, or its last IPv4 address, would leave the description a
 * route the kernel deleted (a change adds before it deletes): it is refused before the kernel.
 */
@RequiresRoot
class SameSubnetTwoLinksRouteTest {
    private final String p = TestNames.unique("se8") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** a: e0 with 10.3.0.1/24 and e1 with 10.3.0.2/24, veths to b's b0 and b1. */
    private Topology twoLinks() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "b0")
                .addr("10.3.0.1/24")
                .veth("e1", "b", "b1")
                .addr("10.3.0.2/24")
                .ns("b")
                .dev("b0")
                .addr("10.3.0.5/24")
                .apply();
    }

    @Test
    void theFirstDevicesPrefixRouteWins() {
        try (Topology t = twoLinks()) {
            assertThat(Ip.ok("-n", p + "a", "-j", "route", "get", "10.3.0.5")).contains("\"dev\":\"e0\"");
            t.change().ns("a").route("10.33.0.0/16", "10.3.0.5").apply();
            assertThat(routes(p + "a", false)).contains("10.33.0.0/16 via 10.3.0.5 dev e0 metric 0 table main");
        }
    }

    private void refused(UnaryOperator<TopologyBuilder> change, String... messages) {
        try (Topology t = twoLinks()) {
            List<String> before = routes(p + "a", false);
            // before: the change was taken, the kernel put the route out of e0 and deleted it with e0 (or
            // with e0's last IPv4 address), and spec() listed a route the kernel did not
            assertThatThrownBy(() -> change.apply(t.change().ns("a").route("10.33.0.0/16", "10.3.0.5"))
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .satisfies(e -> assertThat(((InvalidTopologyException) e).problems())
                            .anyMatch(m -> List.of(messages).stream().allMatch(m::contains)));
            assertThat(routes(p + "a", false)).isEqualTo(before);
            assertThat(t.spec().namespace("a").devices()).hasSize(2);
        }
    }

    @Test
    void addingARouteThroughTheFirstAndRemovingItIsRefused() {
        refused(c -> c.removeDevice("e0"), "removeDevice(\"e0\")", "10.33.0.0/16", "would put it for its gateway");
    }

    @Test
    void addingARouteThroughTheFirstAndRemovingItsLastIpv4AddressIsRefused() {
        refused(c -> c.dev("e0").removeAddr("10.3.0.1/24"), "last IPv4 address", "10.33.0.0/16", "goes out of e0");
    }

    /**
     * The kernel's order, not the description's: an address a later change gives the first device
     * comes after the second device's, and a route via a gateway there goes out of the second
     * (refused before: the prediction took the description's order of the devices).
     */
    @Test
    void anAddressALaterChangeGivesTheFirstDeviceComesSecond() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "b0")
                .veth("e1", "b", "b1")
                .addr("10.3.0.2/24")
                .ns("b")
                .dev("b0")
                .addr("10.3.0.5/24")
                .apply()) {
            t.change().ns("a").dev("e0").addr("10.3.0.1/24").apply();
            assertThat(Ip.ok("-n", p + "a", "-j", "route", "get", "10.3.0.5")).contains("\"dev\":\"e1\"");
            t.change()
                    .ns("a")
                    .route("10.33.0.0/16", "10.3.0.5")
                    .dev("e0")
                    .removeAddr("10.3.0.1/24")
                    .apply();
            assertThat(routes(p + "a", false)).contains("10.33.0.0/16 via 10.3.0.5 dev e1 metric 0 table main");
            assertThat(t.spec().namespace("a").routes()).hasSize(1);
        }
    }

    @Test
    void removingTheSecondIsTaken() {
        try (Topology t = twoLinks()) {
            t.change()
                    .ns("a")
                    .route("10.33.0.0/16", "10.3.0.5")
                    .dev("e1")
                    .removeAddr("10.3.0.2/24")
                    .apply();
            assertThat(routes(p + "a", false)).contains("10.33.0.0/16 via 10.3.0.5 dev e0 metric 0 table main");
        }
    }
}
