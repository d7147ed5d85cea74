package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.Route;
import io.github.netvirt.netlink.RouteSpec;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * removeRoute(...) of a route the topology did not declare, in a change: the message lists the
 * routes the namespace has to that destination, as the kernel lists them (its prefix route, one
 * added by hand), as the README says, not only those of the description.
 */
@RequiresRoot
class RemoveForeignRouteMessageTest {
    private static final String HINT = " (not the topology's: removeRoute(...) deletes only the routes it declared;"
            + " netlink(\"a\").routeDel(...) deletes another)";

    @Test
    void theKernelsRoutesToTheDestinationAreListed() throws Exception {
        try (Topology t = Topology.create()
                .ephemeral()
                .ns("a")
                .veth("e0", "b", "e0")
                .addr("10.0.0.1/24")
                .route("10.9.0.0/16", "10.0.0.2")
                .metric(5)
                .ns("b")
                .dev("e0")
                .addr("10.0.0.2/24")
                .apply()) {
            t.netlink("a").routeAdd(RouteSpec.to(IpPrefix.parse("10.9.0.0/16")).via(InetAddress.getByName("10.0.0.2")));
            List<Route> before = t.netlink("a").routeList();
            assertThatThrownBy(() -> t.change()
                            .ns("a")
                            .removeRoute("10.0.0.0/24", null, "e0")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("namespace a: removeRoute(\"10.0.0.0/24\", null, \"e0\"): there is no such"
                            + " route (10.0.0.0/24 of metric 0 in table 254); the namespace has 10.0.0.0/24 dev e0"
                            + " proto kernel" + HINT);
            assertThatThrownBy(
                            () -> t.change().ns("a").removeRoute("10.9.0.0/16").apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("namespace a: removeRoute(\"10.9.0.0/16\"): there is no such route"
                            + " (10.9.0.0/16 of metric 0 in table 254); the namespace has 10.9.0.0/16 via 10.0.0.2"
                            + " metric 5, and 10.9.0.0/16 via 10.0.0.2 dev e0 proto boot" + HINT);
            assertThat(t.netlink("a").routeList()).containsExactlyInAnyOrderElementsOf(before);
        }
    }
}
