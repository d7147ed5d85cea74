package io.github.netvirt.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.bench.StateDump;
import io.github.netvirt.bench.peer.StarPeer;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/** The floor builds exactly what star.sh builds: same state-dump.sh output as the ip-batch peer. */
@RequiresRoot
class FloorStarTest {
    @Test
    void floorBuildsTheSameStarAsTheIpBatchPeer() throws Exception {
        String floorPrefix = TestNames.unique("bnf") + "-";
        String peerPrefix = TestNames.unique("bnp") + "-";
        FloorStar floor = new FloorStar(floorPrefix, 3);
        StarPeer peer = new StarPeer("ip-batch", peerPrefix, 3);
        try {
            floor.up();
            peer.up();
            String floorState = StateDump.of(floorPrefix);
            String peerState = StateDump.of(peerPrefix);
            assertThat(floorState).contains("pbbr", "pbh3", "10.213.0.3/16");
            assertThat(floorState).isEqualTo(peerState);
            floor.down();
            peer.down();
            assertThat(StateDump.of(floorPrefix)).isBlank();
        } finally {
            floor.cleanup();
            peer.cleanup();
        }
    }
}
