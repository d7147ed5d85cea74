package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * netvirt knows the devices it made by namespace and ifindex (a link cut's record, link conditions,
 * routes' output devices, the crash record): a device a change makes never gets the ifindex of one
 * the topology made in that namespace before, even when the kernel chooses it (it chooses from just
 * above the last index it chose itself, not above those requested explicitly). Taps too
 * ({@link TapIfindexTest}), and a veth end whose other end is in the root namespace.
 */
@RequiresRoot
class IfindexNeverReusedTest {

    private final String p = TestNames.unique("fl") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aDeviceMadeAgainUnderTheSameNameGetsANewIfindex() throws Exception {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.9.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.9.0.2/24")
                .apply()) {
            List<Integer> usedA = new ArrayList<>(Reference.ifindexes(t, "a"));
            List<Integer> usedB = new ArrayList<>(Reference.ifindexes(t, "b"));
            int oldA = Reference.ifindex(t, "a", "eth0");
            int oldB = Reference.ifindex(t, "b", "eth0");

            t.change().ns("b").removeDevice("eth0").apply();
            assertThat(Reference.ifindexes(t, "b")).as("b after the removal").containsExactly(1);

            t.change()
                    .ns("b")
                    .veth("eth0", "a", "eth0")
                    .addr("10.9.0.22/24")
                    .down()
                    .apply();

            assertThat(Reference.ifindex(t, "b", "eth0"))
                    .as("the new b/eth0")
                    .isNotEqualTo(oldB)
                    .isNotIn(usedB);
            assertThat(Reference.ifindex(t, "a", "eth0"))
                    .as("the new a/eth0")
                    .isNotEqualTo(oldA)
                    .isNotIn(usedA);
            assertThat(t.link("b", "eth0").index()).isEqualTo(Reference.ifindex(t, "b", "eth0"));
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aBridgeAChangeMakesGetsNoIfindexOfARemovedDevice() throws Exception {
        try (Topology t =
                Topology.create().prefix(p).ns("a").bridge("br0").bridge("br1").apply()) {
            List<Integer> used = new ArrayList<>(Reference.ifindexes(t, "a"));
            t.change().ns("a").removeDevice("br0").removeDevice("br1").apply();
            t.change().ns("a").bridge("br2").apply();

            assertThat(Reference.ifindex(t, "a", "br2")).isNotIn(used);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aChangeNumbersAboveADeviceSomeoneElseMadeWhenIndex2IsFree() throws Exception {
        // the tap takes 2, the bridge 3 (netvirt's choices, below the kernel's notice); once the tap is
        // removed, a veth someone else makes there gets the kernel's 2 and 4, the latter above netvirt's mark
        try (Topology t =
                Topology.create().prefix(p).ns("a").tap("t0").bridge("br0").apply()) {
            t.change().ns("a").removeDevice("t0").apply();
            assertThat(t.namespace("a")
                            .exec("ip", "link", "add", "xv0", "type", "veth", "peer", "name", "xv1")
                            .exitCode())
                    .isZero();
            List<Integer> used = new ArrayList<>(Reference.ifindexes(t, "a"));

            t.change().ns("a").bridge("br1").apply();

            assertThat(Reference.ifindex(t, "a", "br1")).isNotIn(used);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aVethEndFromTheRootNamespaceGetsNoIfindexOfARemovedDevice() throws Exception {
        // lo 1, br0 and the end of h0 2 and 3; the kernel numbers from just above the last index it
        // chose itself, so a veth end it numbers there would get br0's index again once br0 is gone
        String host = TestNames.unique("rv").replace("-", "");
        try (Topology t = Topology.create()
                .prefix(p)
                .root()
                .veth(host + "0", "a", "eth0")
                .down()
                .ns("a")
                .bridge("br0")
                .apply()) {
            List<Integer> used = new ArrayList<>(Reference.ifindexes(t, "a"));
            t.change().ns("a").removeDevice("br0").apply();
            t.change().root().veth(host + "1", "a", "eth1").down().apply();

            assertThat(Reference.ifindex(t, "a", "eth1")).as("the new a/eth1").isNotIn(used);
            assertThat(t.link("a", "eth1").index()).isEqualTo(Reference.ifindex(t, "a", "eth1"));
            // the root end, the request's peer now, carries the topology's device group (its proof)
            assertThat(t.link(Topology.ROOT, host + "1").isUp()).isFalse();
            Ip.ok("link", "del", host + "1");
            Ip.ok("link", "add", host + "1", "type", "bridge"); // someone else's, named like it
            assertThatThrownBy(() -> t.link(Topology.ROOT, host + "1"))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("not this topology's");
        } finally {
            Ip.run("link", "del", host + "1");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(Reference.rootLinks(host)).isEmpty();
    }

    @Test
    void aDeviceSomeoneElseMadeAndRemovedBetweenTwoChangesLendsNoIndexToTheSecond() throws Exception {
        // the kernel numbers someone else's devices from just above lo (the last index it chose): once
        // they are gone, a change that numbers above only what it sees would take their indexes
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("v0", "b", "p0")
                .ns("b")
                .apply()) {
            assertThat(t.namespace("a")
                            .exec("ip", "link", "add", "f0", "type", "veth", "peer", "name", "f1")
                            .exitCode())
                    .isZero();
            List<Integer> used = new ArrayList<>(Reference.ifindexes(t, "a"));
            assertThat(t.namespace("a").exec("ip", "link", "del", "f0").exitCode())
                    .isZero();

            t.change().ns("a").tap("t0").veth("w0", "w1").apply();

            for (String dev : List.of("t0", "w0", "w1")) {
                assertThat(Reference.ifindex(t, "a", dev))
                        .as("the new a/" + dev)
                        .isNotIn(used);
            }
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aChangeAfterADeviceSomeoneMadeAtTheHighestIfindexIsRefusedSayingSo() throws Exception {
        try (Topology t = Topology.create().prefix(p).ns("a").bridge("br0").apply()) {
            assertThat(t.namespace("a")
                            .exec("ip", "link", "add", "big", "index", "2147483647", "type", "bridge")
                            .exitCode())
                    .isZero();

            assertThatThrownBy(() -> t.change().ns("a").bridge("br1").apply())
                    .hasMessageContaining("no ifindex is left above 2147483647 in namespace a");

            assertThat(Reference.ifindexes(t, "a"))
                    .doesNotContain(Integer.MIN_VALUE)
                    .hasSize(3);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
