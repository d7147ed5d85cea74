package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The rule of a device's last IPv4 address (the kernel deletes every IPv4 route out of a device
 * when its last one goes) counts the addresses the kernel lists on the device, not only the
 * topology's: in an adopted namespace a user may add or delete one by hand.
 */
@RequiresRoot
class LastIpv4AddressByHandTest {
    private final String p = TestNames.unique("se8") + "-";
    private static final String ROUTE = "172.16.0.0/24 via null dev e0 metric 0 table main";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** Adopted h: e0 (veth to b) with {@code addresses} and a route out of it. */
    private Topology adopted(String... addresses) {
        Ip.ok("netns", "add", p + "host");
        TopologyBuilder b = Topology.create().prefix(p).adopt("h", p + "host").veth("e0", "b", "b0");
        for (String a : addresses) {
            b.addr(a);
        }
        return b.route("172.16.0.0/24", null, "e0")
                .ns("b")
                .dev("b0")
                .addr("10.9.0.2/24")
                .apply();
    }

    @Test
    void anAddressAddedByHandKeepsTheRoutes() {
        try (Topology t = adopted("10.9.0.1/24")) {
            Ip.ok("-n", p + "host", "addr", "add", "10.7.0.1/24", "dev", "e0");
            // before: refused, "the change removes its last IPv4 address", which it did not
            t.change().ns("h").dev("e0").removeAddr("10.9.0.1/24").apply();
            assertThat(routes(p + "host", false)).contains(ROUTE);
            assertThat(t.spec().namespace("h").routes()).hasSize(1);
        }
    }

    @Test
    void anAddressDeletedByHandDoesNotKeepThem() {
        try (Topology t = adopted("10.9.0.1/24", "10.8.0.1/24")) {
            Ip.ok("-n", p + "host", "addr", "del", "10.8.0.1/24", "dev", "e0");
            // before: taken, and the kernel deleted the route spec() kept
            assertThatThrownBy(() -> t.change()
                            .ns("h")
                            .dev("e0")
                            .removeAddr("10.9.0.1/24")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("device h/e0: the change removes its last IPv4 address")
                    .hasMessageContaining("172.16.0.0/24");
            assertThat(routes(p + "host", false)).contains(ROUTE);
        }
    }
}
