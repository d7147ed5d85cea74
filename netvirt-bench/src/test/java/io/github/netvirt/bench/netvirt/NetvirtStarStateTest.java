package io.github.netvirt.bench.netvirt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.bench.Topo;
import io.github.netvirt.bench.peer.SeedRecipe;
import io.github.netvirt.bench.peer.StarPeer;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/**
 * netvirt's side builds what the peers build (the same kernel state, IPv4 and links: {@link StateDump}),
 * except that netvirt brings {@code lo} up in every namespace it creates and the peers leave it down.
 */
@RequiresRoot
class NetvirtStarStateTest {
    @Test
    void starMatchesTheIpBatchPeer() throws Exception {
        String ours = TestNames.unique("bnv") + "-";
        String theirs = TestNames.unique("bnp") + "-";
        compare(NetvirtTopos.star(ours, 3), ours, new StarPeer("ip-batch", theirs, 3), theirs, "10.213.0.3/16");
    }

    @Test
    void seedMatchesTheRecipe() throws Exception {
        String ours = TestNames.unique("bnv") + "-";
        String theirs = TestNames.unique("bnp") + "-";
        compare(NetvirtTopos.seed(ours), ours, new SeedRecipe(theirs), theirs, "10.0.1.2/24");
    }

    @Test
    void netlinkStarMatchesTheIpBatchPeer() throws Exception {
        String ours = TestNames.unique("bnv") + "-";
        String theirs = TestNames.unique("bnp") + "-";
        compare(NetvirtTopos.starNetlink(ours, 3), ours, new StarPeer("ip-batch", theirs, 3), theirs, "10.213.0.3/16");
    }

    @Test
    void netlinkSeedMatchesTheRecipe() throws Exception {
        String ours = TestNames.unique("bnv") + "-";
        String theirs = TestNames.unique("bnp") + "-";
        compare(NetvirtTopos.seedNetlink(ours), ours, new SeedRecipe(theirs), theirs, "10.0.1.2/24");
    }

    private static void compare(Topo netvirt, String ours, Topo peer, String theirs, String addr) throws Exception {
        try {
            netvirt.up();
            peer.up();
            String a = dump(ours);
            String b = dump(theirs);
            assertThat(a).contains(addr);
            assertThat(a).isEqualTo(b);
            netvirt.down();
            peer.down();
            assertThat(dump(ours)).isBlank();
        } finally {
            netvirt.cleanup();
            peer.cleanup();
        }
    }

    static String dump(String prefix) {
        return StateDump.of(prefix, StateDump.Option.NO_IPV6, StateDump.Option.NO_LOOPBACK);
    }
}
