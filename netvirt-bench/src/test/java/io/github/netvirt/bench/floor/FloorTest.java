package io.github.netvirt.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.bench.SameState;
import io.github.netvirt.bench.peer.SeedRecipe;
import io.github.netvirt.bench.peer.StarPeer;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/** The floor builds exactly what the peers build: the same kernel state, IPv4 and links ({@link StateDump}). */
@RequiresRoot
class FloorTest {
    @Test
    void floorBuildsTheSameStarAsTheIpBatchPeer() throws Exception {
        SameState.assertSame(
                p -> Floor.star(p, 3),
                p -> new StarPeer("ip-batch", p, 3),
                new String[] {"pbbr", "pbh3", "10.213.0.3/16"},
                StateDump.Option.NO_IPV6);
    }

    @Test
    void floorBuildsTheSameSeedAsTheRecipe() throws Exception {
        SameState.assertSame(
                Floor::seed,
                SeedRecipe::new,
                new String[] {"net0-bridge", "br", "10.0.1.2/24"},
                StateDump.Option.NO_IPV6);
    }

    @Test
    void floorLoBringsLoUpInEveryNamespaceItMakes() throws Exception {
        String p = TestNames.unique("bfl") + "-";
        Floor f = Floor.seed(p).withLoopbackUp();
        try {
            f.phases().start();
            f.up();
            f.phases().keep();
            // lo up is the namespaces phase's (as NetNamespace.create's); the netlink sockets are apart
            assertThat(f.phases().medians())
                    .containsOnlyKeys(Floor.NAMESPACES, Floor.SOCKETS, "bridge", "veths", "addresses+up", "close-fds");
            for (String ns : new String[] {"net0", "net1", "bridge"}) {
                assertThat(Ip.ok("-n", p + ns, "-o", "link", "show", "lo")).contains("UP");
            }
            f.down();
        } finally {
            f.cleanup();
        }
        assertThat(f.system()).isEqualTo("floor-lo");
    }
}
