package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/**
 * down() and up() act on the topology's own device: in the root namespace and in adopted ones, a
 * device of the same name made by someone else after the topology's went is left alone.
 */
@RequiresRoot
class LiveDeviceIdentityTest {

    @Test
    void upLeavesARootDeviceNameTakenOverBySomeoneElse() {
        String host = TestNames.unique("rf").replace("-", "");
        try {
            try (Topology t = Topology.create()
                    .ephemeral()
                    .root()
                    .bridge(host + "b")
                    .tap(host + "t") // no device group: the one it holds open
                    .apply()) {
                for (String dev : new String[] {host + "b", host + "t"}) {
                    t.down(Topology.ROOT, dev);
                    assertThat(t.link(Topology.ROOT, dev).isUp()).isFalse();
                    t.up(Topology.ROOT, dev);
                    assertThat(t.link(Topology.ROOT, dev).isUp()).isTrue();
                }
                Ip.ok("link", "del", host + "b");
                Ip.ok("link", "add", host + "b", "type", "bridge"); // someone else's, down
                assertThatThrownBy(() -> t.up(Topology.ROOT, host + "b")).hasMessageContaining(host + "b");
                assertThat(Ip.ok("-o", "link", "show", "dev", host + "b")).contains("state DOWN");
            }
            assertThat(Reference.rootLinks(host)).containsExactly(host + "b");
        } finally {
            Ip.run("link", "del", host + "b");
        }
    }

    @Test
    void linkRefusesARootTapNameTakenOverBySomeoneElse() {
        String host = TestNames.unique("ft").replace("-", "");
        String tap = host + "t";
        try {
            try (Topology t = Topology.create().ephemeral().root().tap(tap).apply()) {
                assertThat(t.link(Topology.ROOT, tap).kind()).isEqualTo("tun");
                Ip.ok("link", "del", tap);
                Ip.ok("link", "add", tap, "type", "bridge"); // someone else's
                assertThatThrownBy(() -> t.link(Topology.ROOT, tap))
                        .isInstanceOf(NoSuchElementException.class)
                        .hasMessageContaining(tap)
                        .hasMessageContaining("not this topology's");
                assertThatThrownBy(() -> t.down(Topology.ROOT, tap)).isInstanceOf(NoSuchElementException.class);
                assertThat(Ip.ok("-d", "-o", "link", "show", "dev", tap)).contains("bridge");
            }
            assertThat(Reference.rootLinks(host)).containsExactly(tap);
        } finally {
            Ip.run("link", "del", tap);
        }
    }

    @Test
    void downLeavesADeviceOfAnAdoptedNamespaceNamedLikeOneOfTheTopologys() throws Exception {
        String p = TestNames.unique("rf") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = Topology.create()
                        .prefix(p)
                        .adopt("c", foreign)
                        .veth("c0", "srv", "srv0")
                        .addr("10.77.0.2/24")
                        .ns("srv")
                        .dev("srv0")
                        .addr("10.77.0.1/24")
                        .apply()) {
            t.down("c", "c0");
            assertThat(t.link("c", "c0").isUp()).isFalse();
            t.up("c", "c0");
            Ip.ok("-n", foreign, "link", "del", "c0");
            Ip.ok("-n", foreign, "link", "add", "c0", "type", "bridge");
            Ip.ok("-n", foreign, "link", "set", "c0", "up"); // the container's own
            assertThatThrownBy(() -> t.down("c", "c0")).hasMessageContaining("c0");
            assertThat(Ip.ok("-n", foreign, "-o", "link", "show", "dev", "c0")).contains(",UP");
        }
    }

    @Test
    void aConditionLeavesADeviceOfAnAdoptedNamespaceNamedLikeOneOfTheTopologys() throws Exception {
        String p = TestNames.unique("rf") + "-";
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
            // the container's own pair, by chance with the same names
            Ip.ok("-n", foreign, "link", "add", "c0", "type", "veth", "peer", "name", "srv0", "netns", p + "srv");
            assertThatThrownBy(() -> t.condition("c", "c0", LinkCondition.NONE.withRate("1mbit")))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("c0");
            assertThat(Reference.run("tc", "-n", foreign, "qdisc", "show", "dev", "c0")
                            .ok()
                            .out())
                    .doesNotContain("tbf");
            assertThat(t.conditions()).isEmpty();
        }
    }
}
