package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A fault refused for a host of a topology names the host as the topology knows it: by its logical
 * name for an ephemeral namespace (which has no name in the kernel), by its kernel name for a named one.
 */
@RequiresRoot
class HostNamesInMessagesTest {

    private static TopologyBuilder clientServer() {
        return Topology.create()
                .ns("client")
                .veth("eth0", "server", "eth0")
                .addr("10.79.0.1/24")
                .ns("server")
                .dev("eth0")
                .addr("10.79.0.2/24");
    }

    @Test
    void aHostOnBothSidesOfAPartitionIsNamedByItsLogicalNameInAnEphemeralTopology() {
        try (Topology t = clientServer().ephemeral().apply()) {
            NetNamespace client = t.namespace("client");
            assertThatThrownBy(() -> Partition.between(List.of(client), List.of(t.namespace("server"), client)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("NetNamespace[client, ephemeral] is on both sides of the partition");
        }
    }

    @Test
    void aHostOfANamedTopologyIsNamedByItsKernelName() {
        String prefix = TestNames.unique("fl") + "-";
        try (Topology t = clientServer().prefix(prefix).apply()) {
            NetNamespace client = t.namespace("client");
            assertThatThrownBy(() -> Partition.between(List.of(client), List.of(client)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("NetNamespace[" + prefix + "client] is on both sides of the partition");
        }
    }
}
