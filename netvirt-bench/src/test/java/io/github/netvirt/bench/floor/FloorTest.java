package io.github.netvirt.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.bench.peer.SeedRecipe;
import io.github.netvirt.bench.peer.StarPeer;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/** The floor builds exactly what the peers build: the same kernel state, IPv4 and links ({@link StateDump}). */
@RequiresRoot
class FloorTest {
    @Test
    void floorBuildsTheSameStarAsTheIpBatchPeer() throws Exception {
        String floorPrefix = TestNames.unique("bnf") + "-";
        String peerPrefix = TestNames.unique("bnp") + "-";
        Floor floor = Floor.star(floorPrefix, 3);
        StarPeer peer = new StarPeer("ip-batch", peerPrefix, 3);
        try {
            floor.up();
            peer.up();
            String floorState = dump(floorPrefix);
            String peerState = dump(peerPrefix);
            assertThat(floorState).contains("pbbr", "pbh3", "10.213.0.3/16");
            assertThat(floorState).isEqualTo(peerState);
            floor.down();
            peer.down();
            assertThat(dump(floorPrefix)).isBlank();
        } finally {
            floor.cleanup();
            peer.cleanup();
        }
    }

    @Test
    void floorBuildsTheSameSeedAsTheRecipe() throws Exception {
        String floorPrefix = TestNames.unique("bnf") + "-";
        String peerPrefix = TestNames.unique("bnp") + "-";
        Floor floor = Floor.seed(floorPrefix);
        SeedRecipe peer = new SeedRecipe(peerPrefix);
        try {
            floor.up();
            peer.up();
            String floorState = dump(floorPrefix);
            assertThat(floorState).contains("net0-bridge", "br", "10.0.1.2/24");
            assertThat(floorState).isEqualTo(dump(peerPrefix));
            floor.down();
            peer.down();
            assertThat(dump(floorPrefix)).isBlank();
        } finally {
            floor.cleanup();
            peer.cleanup();
        }
    }

    private static String dump(String prefix) {
        return StateDump.of(prefix, StateDump.Option.NO_IPV6);
    }
}
