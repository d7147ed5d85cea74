package io.github.netvirt.core;

import io.github.netvirt.netns.testing.CloseRace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Calls on a live topology racing {@link Topology#close()}: each completes or throws
 * {@code IllegalStateException("topology is closed")}, never a netlink error the library made up.
 */
@RequiresRoot
class CloseRaceTest {
    @Test
    void liveCallsRacingCloseCompleteOrSayTheTopologyIsClosed() throws Exception {
        TopologyBuilder b = Topology.create()
                .ephemeral()
                .ns("a")
                .veth("e0", "b", "e0")
                .addr("10.0.3.1/24")
                .ns("b")
                .tap("tap0");
        CloseRace.run(120, 3, b::apply, CloseRaceTest::call, "topology is closed"::equals);
    }

    private static void call(Topology t, int i) {
        switch (i % 8) {
            case 0 -> t.down("a", "e0");
            case 1 -> t.up("a", "e0");
            case 2 -> t.linkList("b");
            case 3 -> t.link("a", "e0");
            case 4 -> t.addrList("a");
            case 5 -> t.routeList("a");
            case 6 -> Objects.requireNonNull(t.tap("b", "tap0"), "tap");
            default -> Objects.requireNonNull(t.namespace("b"), "host");
        }
    }
}
