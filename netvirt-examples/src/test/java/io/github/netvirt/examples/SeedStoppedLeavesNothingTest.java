package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seed} stopped by SIGTERM or Ctrl-C once its network is up removes it, as its normal end does:
 * the library's shutdown hook closes no topology (README), so the example closes its own, and a user
 * who stops it is not left with named namespaces that {@code seed --down} does not find.
 */
@RequiresRoot
class SeedStoppedLeavesNothingTest {
    @Test
    void seedStoppedOnceItsNetworkIsUpLeavesNoNamespace(@TempDir Path tmp) throws Exception {
        String p = TestNames.unique("jCstop") + "-";
        try {
            StoppedExample.Stopped s = StoppedExample.at("# topology", tmp, "seed", "--prefix", p);
            assertThat(NetNamespace.list()).as(s.output()).noneMatch(n -> n.startsWith(p));
        } finally {
            Topology.cleanup(); // what a dead owner left (before the fix)
        }
    }
}
