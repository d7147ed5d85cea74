package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each namespace a topology makes is labelled with its host's logical name, which its
 * {@code toString} (and so every message about it) shows when the kernel has no name for it.
 */
@RequiresRoot
class NamespaceLabelTest {

    @Test
    void everyEphemeralHostIsLabelledWithItsOwnLogicalName() {
        // five namespaces: made on two switching threads at once
        TopologyBuilder b = Seeds.seed().ephemeral();
        b.ns("h3").bridge("b3").ns("h4").bridge("b4");
        try (Topology t = b.apply()) {
            for (String ns : List.of("net0", "net1", "bridge", "h3", "h4")) {
                NetNamespace h = t.namespace(ns);
                assertThat(h.name()).isEmpty();
                assertThat(h.label()).hasValue(ns);
                assertThat(h).hasToString("NetNamespace[" + ns + ", ephemeral]");
                // the label is that of the namespace holding the host's devices
                try (NetlinkHandle nl = NetlinkHandle.open(h)) {
                    assertThat(nl.linkList())
                            .extracting(Link::name)
                            .containsExactlyInAnyOrderElementsOf(
                                    t.linkList(ns).stream().map(Link::name).toList());
                }
            }
        }
    }
}
