package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/**
 * close() returns only when the kernel has removed what others could see: the same names, in the
 * root namespace too, can be used again at once (a veth end left to the namespace's asynchronous
 * teardown would still hold its name for 7-50 ms and make the next apply fail with EEXIST).
 */
@RequiresRoot
class ReapplyTest {

    @Test
    void sameNamesAgainRightAfterClose() throws Exception {
        String p = TestNames.unique("co") + "-";
        String host = p.replace("-", "") + "h";
        for (boolean ephemeral : new boolean[] {false, true}) {
            TopologyBuilder b = Topology.create()
                    .prefix(p)
                    .ns("a")
                    .veth("e0", Topology.ROOT, host)
                    .addr("10.77.0.2/24")
                    .ns("b")
                    .veth("e0", "a", "e1")
                    .addr("10.78.0.2/24");
            if (ephemeral) {
                b.ephemeral();
            }
            for (int i = 0; i < 5; i++) {
                try (Topology t = b.apply()) {
                    assertThat(Reference.rootLinks(host)).containsExactly(host);
                    assertThat(t.link(Topology.ROOT, host).isUp()).isTrue();
                }
                assertThat(Reference.rootLinks(host)).isEmpty();
                assertThat(Reference.namespaces(p)).isEmpty();
            }
        }
    }
}
