package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Recipe;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.SandboxLimits;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/** toScript() run by a shell builds the same network as the recipe, attribute for attribute. */
@RequiresRoot
class ScriptTest {

    @Test
    void seedScriptBuildsTheRecipesNetwork() {
        String recipe = Recipe.prefix();
        String ours = TestNames.unique("co") + "s-";
        try (Recipe r = Recipe.up(recipe);
                DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(ours)) {
            String script = Seeds.seed().prefix(ours).toScript();
            Reference.sh(script).ok();
            assertThat(Reference.namespaces(ours)).hasSize(3);
            String expected = Reference.stateDump(recipe);
            assertThat(expected).contains("netns bridge link br kind=bridge").contains("local=10.0.1.1/24");
            assertThat(Reference.stateDump(ours)).isEqualTo(expected);
        }
        assertThat(Reference.namespaces(recipe)).isEmpty();
        assertThat(Reference.namespaces(ours)).isEmpty();
    }

    @Test
    void richScriptRunsAndBuildsEveryKind() {
        SandboxLimits.assumeTunUsable(); // the script's ip tuntap opens it
        String p = TestNames.unique("co") + "x-";
        TopologyBuilder b = Seeds.everyKind().prefix(p).tap("tap0").addr("10.3.0.1/24");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p)) {
            Reference.sh(b.toScript()).ok();
            String dump = Reference.stateDump(p);
            assertThat(dump)
                    .contains("netns h1 link eth0 kind=veth")
                    .contains("mtu=1400")
                    .contains("dst=default gateway=10.1.0.1 dev=eth0")
                    .contains("netns h2 link mv0 kind=macvlan")
                    .contains("netns h2 link vx0 kind=vxlan")
                    .contains("netns r link br0 kind=bridge admin=down")
                    .contains("netns r link tap0 kind=tun")
                    .contains("local=fd01::2/64");
            assertThat(Reference.run("ip", "netns", "exec", p + "r", "cat", "/proc/sys/net/ipv4/ip_forward")
                            .out()
                            .trim())
                    .isEqualTo("1");
        }
    }
}
