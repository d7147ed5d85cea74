package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Journal;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/**
 * The crash-record journal a topology attaches to the handle of a namespace it adopted goes when
 * that handle closes: the journal holds the topology, so a journal kept by the handle (a key the
 * journal itself reaches) would keep every closed topology in memory.
 */
@RequiresRoot
class JournalReleaseTest {
    @Test
    void theJournalOfAnAdoptedHandleGoesWithTheTopology() {
        String p = TestNames.unique("jr") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            NetNamespace handed;
            try (Topology t = Topology.create()
                    .prefix(p)
                    .adopt("c", foreign)
                    .ns("c")
                    .bridge("br")
                    .apply()) {
                handed = t.namespace("c");
                assertThat(Journal.of(handed)).isNotSameAs(Journal.NONE);
            }
            assertThat(Journal.of(handed)).as("after close").isSameAs(Journal.NONE);
        }
    }
}
