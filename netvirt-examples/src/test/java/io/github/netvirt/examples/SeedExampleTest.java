package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.Recipe;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The seed example, with a prefix so that it cannot collide with a real "net0". */
@RequiresRoot
class SeedExampleTest {
    private static List<String> namespaces(String prefix) {
        return NetNamespace.list().stream().filter(n -> n.startsWith(prefix)).collect(Collectors.toList());
    }

    @Test
    void seedProvesConnectivityAndLeavesNothing() throws Exception {
        String p = TestNames.unique("co") + "-";
        String out = ExampleOutput.ofSuccess(ps -> new Seed(ps).run("--prefix", p));
        assertThat(out)
                .contains("tcp net0 -> 10.0.1.2:5213 (listener in net1): ok")
                .contains("tcp net1 -> 10.0.1.1:5213 (listener in net0): ok")
                .contains("apply: ")
                .contains("close: ")
                .contains("netns bridge (" + p + "bridge)");
        assertThat(namespaces(p)).isEmpty();
    }

    @Test
    void keptSeedMatchesTheRecipeAndDownRemovesIt() throws Exception {
        String p = TestNames.unique("co") + "-";
        String recipe = Recipe.prefix();
        try {
            assertThat(new Seed(new PrintStream(new ByteArrayOutputStream())).run("--keep", "--prefix", p))
                    .isZero();
            assertThat(namespaces(p)).hasSize(3);
            try (Recipe r = Recipe.up(recipe)) {
                assertThat(dump(p)).contains("netns bridge link br kind=bridge").isEqualTo(dump(recipe));
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            assertThat(new Seed(new PrintStream(buf, true, StandardCharsets.UTF_8)).run("--down", "--prefix", p))
                    .isZero();
            assertThat(buf.toString(StandardCharsets.UTF_8)).contains("removed netns " + p + "net0");
            assertThat(namespaces(p)).isEmpty();
        } finally {
            for (String n : namespaces(p)) {
                Ip.run("netns", "del", n);
            }
        }
    }

    @Test
    void mainDispatchesOnTheFirstArgument() throws Exception {
        assertThat(Main.run("no-such-example")).isEqualTo(2);
        assertThat(Main.run()).isEqualTo(2);
        assertThat(Main.run("seed", "--bogus")).isEqualTo(2);
    }

    /** The kernel state without lo (netvirt brings lo up, the recipe does not). */
    private static String dump(String prefix) {
        return StateDump.of(prefix, StateDump.Option.NO_LOOPBACK);
    }
}
