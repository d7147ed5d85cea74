package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netns.testing.Recipe;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/** The seed topology, built through netlink: connectivity, state equal to the recipe's, teardown. */
@RequiresRoot
class SeedTest {

    @Test
    void seedConnectsBothWaysMatchesTheRecipeAndLeavesNothing() throws Exception {
        String ours = TestNames.unique("co") + "-";
        String recipe = Recipe.prefix();
        Topology t = Seeds.seed().prefix(ours).apply();
        try {
            assertThat(Reference.namespaces(ours))
                    .containsExactlyInAnyOrder(ours + "net0", ours + "net1", ours + "bridge");
            assertThat(t.namespace("net0").name()).contains(ours + "net0");
            assertThat(Tcp.echo(t.namespace("net0"), t.namespace("net1"), "10.0.1.2", 5213, "hello-from-net0"))
                    .isEqualTo("hello-from-net0");
            assertThat(Tcp.echo(t.namespace("net1"), t.namespace("net0"), "10.0.1.1", 5214, "hello-from-net1"))
                    .isEqualTo("hello-from-net1");
            Link port = t.link("bridge", "bridge-net0");
            assertThat(port.master()).hasValue(t.link("bridge", "br").index());
            assertThat(t.addrList("net0")).anyMatch(a -> a.prefix().toString().equals("10.0.1.1/24"));

            try (Recipe r = Recipe.up(recipe)) {
                assertThat(Reference.stateDump(ours)).isEqualTo(Reference.stateDump(recipe));
            }
        } finally {
            t.close();
        }
        assertThat(Reference.namespaces(ours)).isEmpty();
        assertThat(Reference.rootLinks("net0-bridge", "bridge-net0", "net1-bridge", "bridge-net1"))
                .isEmpty();
        t.close(); // twice: harmless
        assertThatThrownBy(() -> t.namespace("net0")).isInstanceOf(IllegalStateException.class);
    }
}
