package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the kernel would refuse half-way is refused by validation, before anything is made. */
@RequiresRoot
class RefusedBeforeTheKernelTest {
    private final String p = TestNames.unique("rc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aGatewayOnlyOnTheSubnetOfADownDeviceIsRefused() {
        // the kernel has no route to a down device's subnet: "Nexthop has invalid gateway"
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("rc0", "b", "rc1")
                .addr("10.77.0.1/24")
                .down()
                .route("10.78.0.0/16", "10.77.0.2")
                .ns("b");
        assertThatThrownBy(b::apply)
                .isInstanceOf(InvalidTopologyException.class)
                .hasMessageContaining("route(\"10.78.0.0/16\", \"10.77.0.2\")")
                .hasMessageContaining("rc0");
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
