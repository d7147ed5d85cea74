package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.util.function.Function;

/**
 * Two ways of building a workload build the same thing: each is built under a fresh prefix, their
 * kernel state ({@link StateDump} of the prefix) is compared, then each is taken down and ours leaves nothing.
 */
public final class SameState {
    private SameState() {}

    /**
     * Builds {@code ours} and {@code peer}, asserts that our state contains {@code expected} and equals
     * the peer's, takes both down and asserts ours left nothing; cleans up both whatever happens.
     */
    public static void assertSame(
            Function<String, Topo> ours, Function<String, Topo> peer, String[] expected, StateDump.Option... options)
            throws Exception {
        // short: the recipe's peer makes PREFIX + "veth1", which must fit in 15 bytes
        String ourPrefix = TestNames.unique("bv") + "-";
        String peerPrefix = TestNames.unique("bp") + "-";
        Topo a = ours.apply(ourPrefix);
        Topo b = peer.apply(peerPrefix);
        try {
            a.up();
            b.up();
            String ourState = StateDump.of(ourPrefix, options);
            assertThat(ourState).contains(expected);
            assertThat(ourState).isEqualTo(StateDump.of(peerPrefix, options));
            a.down();
            b.down();
            assertThat(StateDump.of(ourPrefix, options)).isBlank();
        } finally {
            a.cleanup();
            b.cleanup();
        }
    }
}
