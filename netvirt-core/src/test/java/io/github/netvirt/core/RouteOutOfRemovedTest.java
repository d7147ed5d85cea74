package io.github.netvirt.core;

import static io.github.netvirt.core.RouteMetricTableTest.routes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change that would have the kernel delete a route the topology keeps is refused before the kernel
 * is touched: removing the device a route declared without a device went out of (the kernel deletes
 * the route with it), or a device's last IPv4 address (the kernel deletes every IPv4 route out of it).
 * With the route removed too, in either order, it is taken, and the kernel lists what spec() says, as
 * {@code ip -j route show table all} shows.
 */
@RequiresRoot
class RouteOutOfRemovedTest {
    private final String p = TestNames.unique("fp") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** a: e0 on 10.9.0.0/24 with a route via 10.9.0.2 (no device), x0 on 10.8.0.0/24 with a default route out of it. */
    private Topology viaGateway() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "b0")
                .addr("10.9.0.1/24")
                .route("172.16.0.0/24", "10.9.0.2")
                .veth("x0", "c", "c0")
                .addr("10.8.0.1/24")
                .route("default", null, "x0")
                .metric(50)
                .ns("b")
                .dev("b0")
                .addr("10.9.0.2/24")
                .ns("c")
                .dev("c0")
                .addr("10.8.0.2/24")
                .apply();
    }

    /** a: e0 with 10.9.0.1/24 and a route out of it. */
    private Topology outOfDevice() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "b0")
                .addr("10.9.0.1/24")
                .route("172.16.0.0/24", null, "e0")
                .ns("b")
                .dev("b0")
                .addr("10.9.0.2/24")
                .apply();
    }

    private List<String> kernel() {
        return routes(p + "a", false);
    }

    /** The routes of a as spec() has them, in the form {@link RouteMetricTableTest#routes} lists them. */
    private static List<String> declared(Topology t) {
        return t.spec().namespace("a").routes().stream()
                .map(r -> r.destination().toString().replace("0.0.0.0/0", "default"))
                .sorted()
                .toList();
    }

    private List<String> kernelDestinations() {
        return kernel().stream()
                .map(r -> r.substring(0, r.indexOf(' ')))
                .sorted()
                .toList();
    }

    private void refused(Topology t, UnaryOperator<TopologyBuilder> change, String... messages) {
        List<String> before = kernel();
        assertThatThrownBy(() -> change.apply(t.change()).apply())
                .isInstanceOf(InvalidTopologyException.class)
                .satisfies(e -> assertThat(((InvalidTopologyException) e).problems())
                        .anyMatch(m -> List.of(messages).stream().allMatch(m::contains)));
        assertThat(kernel()).isEqualTo(before).anyMatch(r -> r.startsWith("172.16.0.0/24 "));
        assertThat(declared(t)).contains("172.16.0.0/24");
    }

    private void taken(Topology t, UnaryOperator<TopologyBuilder> change) {
        change.apply(t.change()).apply();
        assertThat(declared(t)).doesNotContain("172.16.0.0/24");
        assertThat(kernelDestinations()).isEqualTo(declared(t));
    }

    @Test
    void removingTheDeviceARouteWithoutADeviceWentOutOfIsRefused() {
        try (Topology t = viaGateway()) {
            assertThat(kernel()).contains("172.16.0.0/24 via 10.9.0.2 dev e0 metric 0 table main");
            refused(t, c -> c.ns("a").removeDevice("e0"), "removeDevice(\"e0\")", "172.16.0.0/24", "goes out of e0");
        }
    }

    @Test
    void removingTheDeviceAndTheRouteIsTakenInEitherOrder() {
        try (Topology t = viaGateway()) {
            taken(t, c -> c.ns("a").removeDevice("e0").removeRoute("172.16.0.0/24"));
        }
        try (Topology t = viaGateway()) {
            taken(t, c -> c.ns("a").removeRoute("172.16.0.0/24").removeDevice("e0"));
        }
    }

    @Test
    void removingTheLastIpv4AddressUnderARouteIsRefused() {
        try (Topology t = outOfDevice()) {
            refused(t, c -> c.ns("a").dev("e0").removeAddr("10.9.0.1/24"), "last IPv4 address", "172.16.0.0/24");
        }
        try (Topology t = viaGateway()) {
            refused(t, c -> c.ns("a").dev("e0").removeAddr("10.9.0.1/24"), "last IPv4 address", "172.16.0.0/24");
        }
    }

    @Test
    void removingTheLastIpv4AddressAndTheRouteIsTakenInEitherOrder() {
        try (Topology t = outOfDevice()) {
            taken(t, c -> c.ns("a").dev("e0").removeAddr("10.9.0.1/24").ns("a").removeRoute("172.16.0.0/24"));
        }
        try (Topology t = outOfDevice()) {
            taken(t, c -> c.ns("a").removeRoute("172.16.0.0/24").dev("e0").removeAddr("10.9.0.1/24"));
        }
        try (Topology t = viaGateway()) {
            taken(t, c -> c.ns("a").removeRoute("172.16.0.0/24").dev("e0").removeAddr("10.9.0.1/24"));
        }
    }

    @Test
    void anotherIpv4AddressAddedInTheSameChangeKeepsTheRoute() {
        try (Topology t = outOfDevice()) {
            t.change()
                    .ns("a")
                    .dev("e0")
                    .addr("10.9.1.1/24")
                    .removeAddr("10.9.0.1/24")
                    .apply();
            assertThat(kernel()).contains("172.16.0.0/24 via null dev e0 metric 0 table main");
            assertThat(declared(t)).contains("172.16.0.0/24");
        }
    }

    /**
     * e0 and e1 both on 10.9.0.0/24: the descriptions cannot tell which the kernel put the route via
     * 10.9.0.1 out of; the add's echo did.
     */
    @Test
    void theDeviceTheKernelChoseIsTheOneTheRouteDependsOn() {
        for (int removeChosen = 0; removeChosen < 2; removeChosen++) {
            try (Topology t = Topology.create()
                    .prefix(p)
                    .ns("a")
                    .veth("e0", "b", "b0")
                    .addr("10.9.0.2/24")
                    .veth("e1", "c", "c1")
                    .addr("10.9.0.3/24")
                    .route("172.16.0.0/24", "10.9.0.1")
                    .ns("b")
                    .dev("b0")
                    .addr("10.9.0.1/24")
                    .ns("c")
                    .dev("c1")
                    .addr("10.9.0.1/24")
                    .apply()) {
                String chosen = kernel().stream()
                        .filter(r -> r.startsWith("172.16.0.0/24 "))
                        .findFirst()
                        .orElseThrow()
                        .replaceAll(".* dev (\\S+) .*", "$1");
                String other = chosen.equals("e0") ? "e1" : "e0";
                if (removeChosen == 1) {
                    refused(
                            t,
                            c -> c.ns("a").removeDevice(chosen),
                            "removeDevice(\"" + chosen + "\")",
                            "goes out of " + chosen + ", where the kernel put it");
                } else {
                    t.change().ns("a").removeDevice(other).apply();
                    assertThat(kernel()).contains("172.16.0.0/24 via 10.9.0.1 dev " + chosen + " metric 0 table main");
                    assertThat(declared(t)).contains("172.16.0.0/24");
                }
            }
        }
    }
}
