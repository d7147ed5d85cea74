package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A veth end whose name is taken outside the topology's own namespaces (EEXIST) is named in the
 * refusal, with whose it may be, and nothing is left made.
 */
@RequiresRoot
class TakenNameMessageTest {
    private final String p = TestNames.unique("tnm") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aVethEndWhoseNameAnAdoptedNamespaceHasIsNamed() {
        Ip.ok("netns", "add", p + "app");
        Ip.ok("-n", p + "app", "link", "add", "eth1", "type", "veth", "peer", "name", "eth1p");
        String before = Ip.ok("-n", p + "app", "-br", "link");
        // before: "... RTM_NEWLINK veth app0/eth1: EEXIST (17, File exists); everything done before
        // was undone", with no word of which end's name was taken
        for (boolean fromApp : new boolean[] {true, false}) {
            TopologyBuilder b = Topology.create().prefix(p).adopt("app", p + "app");
            TopologyBuilder described = fromApp
                    ? b.veth("eth1", "client", "app0").ns("client")
                    : b.ns("client").veth("app0", "app", "eth1");
            assertThatThrownBy(described::apply)
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("EEXIST")
                    .hasMessageContaining("device app/eth1 is taken: adopted namespace app has a device of that name");
            assertThat(Reference.namespaces(p)).containsExactly(p + "app");
            assertThat(Ip.ok("-n", p + "app", "-br", "link")).isEqualTo(before);
        }
    }

    @Test
    void aVethEndWhoseNameTheRootHasIsNamed() {
        String r = TestNames.unique("tnr");
        Ip.ok("link", "add", r, "type", "veth", "peer", "name", r + "p");
        try {
            // before: "...: EEXIST (17, File exists); no crash record in /run/netvirt proves whose it is: ..."
            assertThatThrownBy(() -> Topology.create()
                            .prefix(p)
                            .ns("client")
                            .veth("c0", Topology.ROOT, r)
                            .apply())
                    .isInstanceOf(ApplyException.class)
                    .hasMessageContaining("device " + r + " in the root namespace is taken, and no crash record in");
            assertThat(Reference.namespaces(p)).isEmpty();
            assertThat(Reference.rootLinks(r)).containsExactlyInAnyOrder(r, r + "p");
        } finally {
            Ip.ok("link", "del", r);
        }
    }
}
