package io.github.netvirt.bench.netvirt;

import io.github.netvirt.bench.SameState;
import io.github.netvirt.bench.Topo;
import io.github.netvirt.bench.peer.SeedRecipe;
import io.github.netvirt.bench.peer.StarPeer;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * netvirt's side builds what the peers build (the same kernel state, IPv4 and links: {@link StateDump}),
 * except that netvirt brings {@code lo} up in every namespace it creates and the peers leave it down.
 */
@RequiresRoot
class NetvirtStarStateTest {
    /** One of netvirt's ways of building a workload, the peer it must match and an address it must have. */
    record Case(String name, Function<String, Topo> ours, Function<String, Topo> peer, String address) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Function<String, Topo> starPeer = p -> new StarPeer("ip-batch", p, 3);
        return Stream.of(
                new Case("star matches the ip-batch peer", p -> NetvirtTopos.star(p, 3), starPeer, "10.213.0.3/16"),
                new Case("seed matches the recipe", NetvirtTopos::seed, SeedRecipe::new, "10.0.1.2/24"),
                new Case(
                        "netlink star matches the ip-batch peer",
                        p -> NetvirtTopos.starNetlink(p, 3),
                        starPeer,
                        "10.213.0.3/16"),
                new Case("netlink seed matches the recipe", NetvirtTopos::seedNetlink, SeedRecipe::new, "10.0.1.2/24"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void buildsWhatThePeerBuilds(Case c) throws Exception {
        SameState.assertSame(
                c.ours(), c.peer(), new String[] {c.address()}, StateDump.Option.NO_IPV6, StateDump.Option.NO_LOOPBACK);
    }
}
