package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Two topologies that adopt the same namespace each withdraw only their own host names from it. */
@RequiresRoot
class SharedAdoptionHostNamesTest {

    /** {@code shared} adopted as host h, its veth {@code dev} to s{@code n}'s eth0 on 10.9{@code n}.0.0/24. */
    private static Topology adopting(NetNamespace shared, int n) {
        return Topology.create()
                .ephemeral()
                .adopt("h", shared)
                .veth("fc-h" + n, "s" + n, "eth0")
                .addr("10.9" + n + ".0.2/24")
                .ns("s" + n)
                .dev("eth0")
                .addr("10.9" + n + ".0.1/24")
                .apply();
    }

    private static void bothPublishThenOneCloses(boolean firstCloses) throws Exception {
        try (NetNamespace shared = NetNamespace.ephemeral();
                Topology t1 = adopting(shared, 1);
                Topology t2 = adopting(shared, 2)) {
            t1.namespace("h");
            t2.namespace("h");
            assertThat(shared.call(() -> HostNames.resolve("s2"))).containsExactly(InetAddress.getByName("10.92.0.1"));
            (firstCloses ? t1 : t2).close();
            String left = firstCloses ? "s2" : "s1";
            String gone = firstCloses ? "s1" : "s2";
            assertThat(shared.call(() -> HostNames.resolve(left)))
                    .as("the names of the topology still open")
                    .containsExactly(InetAddress.getByName("10.9" + left.charAt(1) + ".0.1"));
            assertThat(shared.call(() -> HostNames.resolve(gone)))
                    .as("the closed topology's names")
                    .isNull();
            (firstCloses ? t2 : t1).close();
            assertThat(shared.call(() -> HostNames.resolve(left))).isNull();
        }
    }

    @Test
    void theLaterTopologyClosingLeavesTheEarliersNames() throws Exception {
        bothPublishThenOneCloses(false);
    }

    @Test
    void theEarlierTopologyClosingLeavesTheLatersNames() throws Exception {
        bothPublishThenOneCloses(true);
    }
}
