package io.github.netvirt.core;

import static io.github.netvirt.core.ValidationTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The removals of one change are checked against the whole change once it is declared: what goes
 * with a removed device (a route out of it, a port of it, a device made on it) may be removed before
 * or after it, the description and the problems are the same in either order.
 */
class RemovalOrderValidationTest {

    /** a/eth0 to b/eth0, and in b a route out of b's end. */
    static TopologyBuilder peerRouteTopology() {
        return Topology.create()
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.1.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.1.0.2/24")
                .route("10.9.0.0/16", "10.1.0.1", "eth0");
    }

    /** In namespace s: bridge br with port p (a veth to x/x0), a macvlan and a vxlan on d0 (a veth to x/x1). */
    static TopologyBuilder dependentsTopology() {
        return Topology.create()
                .ns("x")
                .veth("x0", "s", "p")
                .veth("x1", "s", "d0")
                .ns("s")
                .bridge("br")
                .ports("p")
                .macvlan("mv", "d0")
                .vxlan("vx", 42)
                .remote("10.5.0.2")
                .lower("d0");
    }

    /** {@link #peerRouteTopology()} as a change of the live topology it builds has it. */
    private static TopologyBuilder peerRoute() {
        TopologyBuilder b = peerRouteTopology();
        b.base = b.spec();
        return b;
    }

    /** {@link #dependentsTopology()} as a change of the live topology it builds has it. */
    private static TopologyBuilder dependents() {
        TopologyBuilder b = dependentsTopology();
        b.base = b.spec();
        return b;
    }

    /** The description {@code first} then {@code second} make of {@code base}, checked to be the other order's too. */
    private static TopologySpec bothOrders(
            Supplier<TopologyBuilder> base,
            UnaryOperator<TopologyBuilder> first,
            UnaryOperator<TopologyBuilder> second) {
        TopologySpec oneWay = second.apply(first.apply(base.get())).spec();
        TopologySpec otherWay = first.apply(second.apply(base.get())).spec();
        assertThat(otherWay).isEqualTo(oneWay);
        return oneWay;
    }

    @Test
    void aVethMayGoBeforeTheRouteOutOfItsOtherEnd() {
        for (String end : new String[] {"a", "b"}) {
            TopologySpec spec = bothOrders(
                    RemovalOrderValidationTest::peerRoute,
                    c -> c.ns(end).removeDevice("eth0"),
                    c -> c.ns("b").removeRoute("10.9.0.0/16"));
            assertThat(spec.namespace("a").devices()).as("from %s's end", end).isEmpty();
            assertThat(spec.namespace("b").devices()).as("from %s's end", end).isEmpty();
            assertThat(spec.namespace("b").routes()).as("from %s's end", end).isEmpty();
        }
    }

    @Test
    void aRouteRemovalWhoseMetricFollowsMayComeAfterItsDevice() {
        TopologySpec spec = bothOrders(
                () -> {
                    TopologyBuilder b = peerRoute()
                            .ns("b")
                            .route("10.8.0.0/16", null, "eth0")
                            .metric(5);
                    b.base = b.spec();
                    return b;
                },
                c -> c.ns("a").removeDevice("eth0"),
                c -> c.ns("b")
                        .removeRoute("10.9.0.0/16")
                        .removeRoute("10.8.0.0/16", null, "eth0")
                        .metric(5));
        assertThat(spec.namespace("b").routes()).isEmpty();
    }

    @Test
    void aNamespaceMayGoBeforeTheRouteOutOfItsVethsOtherEnd() {
        TopologySpec spec = bothOrders(
                RemovalOrderValidationTest::peerRoute,
                c -> c.removeNamespace("a"),
                c -> c.ns("b").removeRoute("10.9.0.0/16"));
        assertThat(spec.findNamespace("a")).isEmpty();
        assertThat(spec.namespace("b").devices()).isEmpty();
        assertThat(spec.namespace("b").routes()).isEmpty();
    }

    @Test
    void inAnAdoptedNamespaceTooTheDeviceMayGoBeforeTheRouteOutOfIt() {
        TopologySpec spec = bothOrders(
                () -> {
                    TopologyBuilder b = Topology.create()
                            .adopt("app", "fc-x-adopted")
                            .veth("eth1", "client", "app0")
                            .addr("10.9.0.2/24")
                            .route("10.60.0.0/16", "10.9.0.1", "eth1")
                            .ns("client")
                            .dev("app0")
                            .addr("10.9.0.1/24");
                    b.adoptedLive("app"); // as a change's copy has it: held open by the live topology
                    b.base = b.spec();
                    return b;
                },
                c -> c.ns("app").removeDevice("eth1"),
                c -> c.ns("app").removeRoute("10.60.0.0/16"));
        assertThat(spec.namespace("app").routes()).isEmpty();
        assertThat(spec.namespace("app").devices()).isEmpty();
    }

    @Test
    void aBridgeMayGoBeforeItsPortAndALowerDeviceBeforeWhatIsMadeOnIt() {
        TopologySpec spec = bothOrders(
                RemovalOrderValidationTest::dependents,
                c -> c.ns("s").removeDevice("br").removeDevice("d0"),
                c -> c.ns("s").removeDevice("p").removeDevice("mv").removeDevice("vx"));
        assertThat(spec.namespace("s").devices()).isEmpty();
        assertThat(spec.namespace("x").devices()).isEmpty();
        // the port and the lower device go with the namespace of their veths' other ends too
        spec = bothOrders(
                RemovalOrderValidationTest::dependents,
                c -> c.removeNamespace("x"),
                c -> c.ns("s").removeDevice("br").removeDevice("mv").removeDevice("vx"));
        assertThat(spec.namespace("s").devices()).isEmpty();
        assertThat(spec.findNamespace("x")).isEmpty();
    }

    @Test
    void whatStaysStillHoldsItsDeviceAndTheProblemNamesTheRemoval() {
        assertThat(problems(() -> peerRoute().ns("a").removeDevice("eth0")))
                .containsExactly("removeDevice(\"eth0\") in namespace a: route(\"10.9.0.0/16\", \"10.1.0.1\", \"eth0\")"
                        + " in namespace b goes out of eth0 (removeRoute(...) it too)");
        assertThat(problems(() -> peerRoute().removeNamespace("a").ns("b").route("10.7.0.0/16", null, "eth1")))
                .contains("removeNamespace(\"a\"): route(\"10.9.0.0/16\", \"10.1.0.1\", \"eth0\") in namespace b"
                        + " goes out of eth0 (removeRoute(...) it too)");
        assertThat(problems(() -> dependents().ns("s").removeDevice("br").removeDevice("d0")))
                .containsExactly(
                        "removeDevice(\"br\") in namespace s: s/br is the bridge of p (remove that port too)",
                        "removeDevice(\"d0\") in namespace s: mv is made on s/d0",
                        "removeDevice(\"d0\") in namespace s: vx is made on s/d0");
        // a device declared again by the removed one's name (not one of the live topology's) is what they use
        TopologyBuilder c =
                Topology.create().ns("s").bridge("br").bridge("br0").ns("s").removeDevice("br");
        TopologySpec spec = c.ns("s").bridge("br").veth("p", "q").master("br").spec();
        assertThat(spec.device("s", "p").master()).isEqualTo("br");
        assertThat(spec.namespace("s").devices()).extracting(DeviceSpec::name).contains("br", "br0", "p", "q");
    }
}
