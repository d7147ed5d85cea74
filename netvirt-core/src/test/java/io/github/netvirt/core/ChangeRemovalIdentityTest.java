package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;

/**
 * What a change removes in the root and adopted namespaces is the topology's own device: one of the
 * same name made by someone else after the topology's went is left alone.
 */
@RequiresRoot
class ChangeRemovalIdentityTest {

    @Test
    void aChangeLeavesARootDeviceNameTakenOverBySomeoneElse() {
        String host = TestNames.unique("rc").replace("-", "");
        try {
            try (Topology t = Topology.create()
                    .ephemeral()
                    .root()
                    .bridge(host + "b")
                    .addr("10.79.1.1/24")
                    .bridge(host + "c")
                    .apply()) {
                Ip.ok("link", "del", host + "b");
                Ip.ok("link", "add", host + "b", "type", "bridge"); // someone else's
                Ip.ok("address", "add", "10.79.1.1/24", "dev", host + "b");

                t.change().root().dev(host + "b").removeAddr("10.79.1.1/24").apply();
                assertThat(Ip.ok("-o", "address", "show", "dev", host + "b")).contains("10.79.1.1/24");

                t.change().root().removeDevice(host + "b").apply();
                assertThat(Reference.rootLinks(host)).contains(host + "b");
            }
            assertThat(Reference.rootLinks(host)).containsExactly(host + "b");
        } finally {
            Ip.run("link", "del", host + "b");
            Ip.run("link", "del", host + "c");
        }
    }

    @Test
    void aChangeLeavesADeviceOfAnAdoptedNamespaceNamedLikeOneOfTheTopologys() throws Exception {
        String p = TestNames.unique("rc") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = Topology.create()
                        .prefix(p)
                        .adopt("c", foreign)
                        .veth("c0", "srv", "srv0")
                        .ns("srv")
                        .apply()) {
            Ip.ok("-n", foreign, "link", "del", "c0");
            Ip.ok("-n", foreign, "link", "add", "c0", "type", "bridge"); // the container's own
            t.change().ns("c").removeDevice("c0").apply();
            assertThat(Ip.ok("-d", "-n", foreign, "-o", "link", "show", "dev", "c0"))
                    .contains("bridge");
        }
    }
}
