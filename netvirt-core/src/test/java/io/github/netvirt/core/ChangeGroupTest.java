package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A device a change makes in a namespace netvirt made ends in the default device group, as
 * {@code apply()} and the printed script leave it: the change's own group is a tag for its rollback
 * only.
 */
@RequiresRoot
class ChangeGroupTest {
    private final String p = TestNames.unique("cg") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** {@code ip -j -d link show dev DEV} in namespace {@code ns}: the kernel's word on the device. */
    private String link(String ns, String dev) {
        return Ip.ok("-n", p + ns, "-j", "-d", "link", "show", "dev", dev);
    }

    @Test
    void devicesAChangeMakesInAnExistingNamespaceAreInTheDefaultGroup() {
        try (Topology t =
                Topology.create().prefix(p).ns("a").bridge("br").ns("b").apply()) {
            assertThat(link("a", "br")).contains("\"group\":\"default\"");

            t.change()
                    .ns("c")
                    .ns("a")
                    .veth("p0", "c", "eth0")
                    .master("br")
                    .ns("b")
                    .tap("t1")
                    .apply();

            assertThat(link("a", "p0")).contains("\"group\":\"default\"");
            assertThat(link("c", "eth0")).contains("\"group\":\"default\"");
            assertThat(link("b", "t1")).contains("\"group\":\"default\"");
        }
    }
}
