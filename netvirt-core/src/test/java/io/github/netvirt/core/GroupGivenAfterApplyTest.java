package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Someone gives a device of their own the device group of a live topology's devices in the root or an
 * adopted namespace ({@code ip link set DEV group N}) after the apply: the topology's close() deletes
 * its own devices there, known by the ifindex the kernel told when it made them, and leaves that one.
 */
@RequiresRoot
class GroupGivenAfterApplyTest {
    private final String p = TestNames.unique("gG") + "-";
    private final String h = TestNames.unique("gG").replace("-", "");

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aRootDeviceGivenTheTopologysGroupOutlivesClose() {
        String ours = h + "b";
        String theirs = h + "f";
        try {
            try (Topology t = Topology.create().ephemeral().root().bridge(ours).apply()) {
                int group = t.link(Topology.ROOT, ours).group();
                Ip.ok("link", "add", "name", theirs, "type", "bridge");
                Ip.ok("link", "set", "dev", theirs, "group", Integer.toString(group));
            }
            assertThat(Reference.rootLinks(h)).as("after close").containsExactly(theirs);
        } finally {
            for (String d : List.of(ours, theirs)) {
                Ip.run("link", "del", d);
            }
        }
    }

    @Test
    void anAdoptedNamespacesDeviceGivenTheTopologysGroupOutlivesClose() {
        String adopted = p + "ad";
        Ip.ok("netns", "add", adopted);
        try (Topology t = Topology.create()
                .prefix(p)
                .adopt("app", adopted)
                .bridge("ours")
                .veth("v0", "b", "v1")
                .ns("b")
                .apply()) {
            int group = t.link("app", "ours").group();
            Ip.ok("-n", adopted, "link", "add", "name", "theirs", "type", "bridge");
            Ip.ok("-n", adopted, "link", "set", "dev", "theirs", "group", Integer.toString(group));
        }
        assertThat(Ip.ok("-n", adopted, "-o", "link", "show"))
                .as("the adopted namespace after close")
                .contains("theirs")
                .doesNotContain("ours")
                .doesNotContain("v0");
    }
}
