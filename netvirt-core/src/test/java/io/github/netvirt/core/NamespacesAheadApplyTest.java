package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.JvmThreads;
import io.github.netvirt.netns.testing.OpenFds;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fresh apply begins its first namespaces while it validates and plans (unnamed, the kernel's
 * slowest part of an apply): an apply that never gets to them closes them, and nothing of them stays.
 */
@RequiresRoot
class NamespacesAheadApplyTest {
    private final String p = TestNames.unique("ah") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private static void assertSwitchingThreadsHome() throws Exception {
        assertThat(JvmThreads.outsideRootNamespace()).noneMatch(t -> t.comm().startsWith("netvirt-switch-"));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anInvalidDescriptionClosesTheNamespacesBegunWhileItWasValidated() throws Exception {
        Topology.create().ephemeral().ns("w").apply().close(); // the reaper and the switching threads started
        OpenFds before = OpenFds.now();
        for (int i = 0; i < 20; i++) {
            TopologyBuilder b = Topology.create()
                    .prefix(p)
                    .named()
                    .ns("a")
                    .veth("e0", "b", "e0")
                    .addr("10.77.0.1/24")
                    .ns("b")
                    .dev("e0")
                    .addr("10.77.0.300/24")
                    .ns("c");
            assertThatThrownBy(b::apply).isInstanceOf(InvalidTopologyException.class);
        }
        assertSwitchingThreadsHome();
        before.awaitNoneLeaked("applies of an invalid description", 5);
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anApplyRefusedForItsNamesClosesTheNamespacesItBegan() throws Exception {
        try (Topology first =
                Topology.create().prefix(p).named().ns("a").ns("b").apply()) {
            OpenFds before = OpenFds.now();
            for (int i = 0; i < 5; i++) {
                TopologyBuilder again =
                        Topology.create().prefix(p).named().ns("b").ns("a");
                assertThatThrownBy(again::apply)
                        .isInstanceOf(ApplyException.class)
                        .hasMessageContaining("EEXIST");
            }
            assertSwitchingThreadsHome();
            before.awaitNoneLeaked("applies refused for their names", 5);
            assertThat(Reference.namespaces(p)).containsExactlyInAnyOrder(p + "a", p + "b");
            assertThat(first.namespace("a").isOpen()).isTrue();
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theNamespacesBegunAheadAreTheTopologysHostsNamedAsDescribed() throws Exception {
        OpenFds before = OpenFds.now();
        try (Topology t = Topology.create()
                .prefix(p)
                .named()
                .ns("x")
                .veth("e0", "y", "e0")
                .addr("10.78.0.1/24")
                .ns("y")
                .dev("e0")
                .addr("10.78.0.2/24")
                .ns("z")
                .apply()) {
            assertThat(Reference.namespaces(p)).containsExactlyInAnyOrder(p + "x", p + "y", p + "z");
            for (String host : List.of("x", "y", "z")) {
                assertThat(t.namespace(host)
                                .exec("ip", "-o", "link", "show", "lo")
                                .stdout())
                        .contains("UP");
            }
            assertThat(t.namespace("x").exec("ip", "-o", "addr", "show", "e0").stdout())
                    .contains("10.78.0.1/24");
            assertThat(t.namespace("y").exec("ip", "-o", "addr", "show", "e0").stdout())
                    .contains("10.78.0.2/24");
        }
        assertSwitchingThreadsHome();
        before.awaitNoneLeaked("a topology applied and closed", 5);
    }
}
