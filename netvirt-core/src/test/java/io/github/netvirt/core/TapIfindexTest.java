package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tap gets its ifindex from netvirt like the other devices of the topology's namespaces (set with
 * TUNSETIFINDEX before the device is registered): never a removed device's, whether a change removes
 * it together with adding the tap or before; and a tap's index counts for the devices after it. So
 * does a link condition's relay TAP in a namespace the topology made.
 */
@RequiresRoot
class TapIfindexTest {

    private final String p = TestNames.unique("sc8") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aTapAChangeAddsDoesNotTakeTheIndexOfADeviceItRemoves() throws Exception {
        // lo 1, br0 2, br1 3; the kernel numbers from just above lo, so it would hand out 3 again once
        // br1 is gone (a change deletes after it adds, so here only if that order changed)
        try (Topology t =
                Topology.create().prefix(p).ns("a").bridge("br0").bridge("br1").apply()) {
            List<Integer> used = Reference.ifindexes(t, "a");
            t.change().ns("a").removeDevice("br1").tap("t0").apply();

            assertThat(Reference.ifindex(t, "a", "t0")).as("the new a/t0").isNotIn(used);
            assertThat(t.tap("a", "t0").ifindex()).isEqualTo(Reference.ifindex(t, "a", "t0"));
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aTapAChangeAddsDoesNotTakeTheIndexOfADeviceAnEarlierChangeRemoved() throws Exception {
        try (Topology t =
                Topology.create().prefix(p).ns("a").bridge("br0").bridge("br1").apply()) {
            List<Integer> used = Reference.ifindexes(t, "a");
            t.change().ns("a").removeDevice("br0").apply();
            t.change().ns("a").tap("t0").apply();

            assertThat(Reference.ifindex(t, "a", "t0")).as("the new a/t0").isNotIn(used);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aDeviceMadeAfterARemovedTapDoesNotTakeTheTapsIndex() throws Exception {
        try (Topology t =
                Topology.create().prefix(p).ns("a").tap("t0").bridge("br0").apply()) {
            List<Integer> used = Reference.ifindexes(t, "a");
            t.change().ns("a").removeDevice("t0").apply();
            t.change().ns("a").bridge("br1").tap("t1").apply();

            assertThat(Reference.ifindex(t, "a", "br1")).as("the new a/br1").isNotIn(used);
            assertThat(Reference.ifindex(t, "a", "t1")).as("the new a/t1").isNotIn(used);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aDeviceAChangeMakesDoesNotTakeTheIndexOfAHealedConditionsRelayTap() throws Exception {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.78.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.78.0.2/24")
                .apply()) {
            ConditionedLink c = t.condition("a", "eth0", LinkCondition.NONE.withDelay(Duration.ofMillis(5)));
            assumeTrue(
                    c.mode() == ConditionedLink.Mode.RELAY, "the kernel has netem: the condition makes no relay TAP");
            List<Integer> usedA = Reference.ifindexes(t, "a");
            List<Integer> usedB = Reference.ifindexes(t, "b");
            c.heal();
            t.change().ns("a").bridge("br0").ns("b").bridge("br0").apply();

            assertThat(Reference.ifindex(t, "a", "br0")).as("the new a/br0").isNotIn(usedA);
            assertThat(Reference.ifindex(t, "b", "br0")).as("the new b/br0").isNotIn(usedB);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aConditionsRelayTapDoesNotTakeTheIndexOfADeviceAChangeRemoved() throws Exception {
        // lo 1, br0 2, eth0 3 in each; the kernel numbers from just above lo, so it would hand out 2
        // again once br0 is gone
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .bridge("br0")
                .veth("eth0", "b", "eth0")
                .addr("10.78.1.1/24")
                .ns("b")
                .bridge("br0")
                .dev("eth0")
                .addr("10.78.1.2/24")
                .apply()) {
            List<Integer> usedA = Reference.ifindexes(t, "a");
            List<Integer> usedB = Reference.ifindexes(t, "b");
            t.change().ns("a").removeDevice("br0").ns("b").removeDevice("br0").apply();
            ConditionedLink c = t.condition("a", "eth0", LinkCondition.NONE.withDelay(Duration.ofMillis(5)));
            assumeTrue(
                    c.mode() == ConditionedLink.Mode.RELAY, "the kernel has netem: the condition makes no relay TAP");
            int[] taps = c.relayTapIndexes();

            assertThat(taps[0]).as("a's relay TAP").isNotIn(usedA);
            assertThat(taps[1]).as("b's relay TAP").isNotIn(usedB);
            assertThat(Reference.ifindexes(t, "a")).contains(taps[0]);
            assertThat(Reference.ifindexes(t, "b")).contains(taps[1]);
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
