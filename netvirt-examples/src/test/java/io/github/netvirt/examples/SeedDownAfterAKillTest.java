package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seed --down} removes what a seed killed with {@code kill -9} left (its crash record names it:
 * README's {@code Topology.cleanup()}), not only what {@code seed --keep} left: the jar has no other
 * command that removes it at once, and "no kept seed topology found" beside the namespaces misleads.
 */
@RequiresRoot
class SeedDownAfterAKillTest {
    @Test
    void seedDownRemovesWhatAKilledSeedLeft(@TempDir Path tmp) throws Exception {
        String p = TestNames.unique("jCkill") + "-";
        try {
            StoppedExample.killedAt("# topology", tmp, "seed", "--prefix", p);
            assertThat(NetNamespace.list()).as("what the kill left").contains(p + "net0");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            assertThat(new Seed(new PrintStream(buf, true, StandardCharsets.UTF_8)).run("--down", "--prefix", p))
                    .isZero();
            String out = buf.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("removed netns " + p + "net0");
            assertThat(NetNamespace.list()).as(out).noneMatch(n -> n.startsWith(p));
        } finally {
            Topology.cleanup(); // what the kill left (before the fix)
        }
    }
}
