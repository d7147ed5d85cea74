package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A change that declares a device by the name of a link condition's relay TAP ({@code nvcN}, the
 * topology's own) is refused before the kernel is touched, saying whose the name is, not with the
 * kernel's bare EEXIST.
 */
@RequiresRoot
class RelayTapNameInChangeTest {

    @Test
    void aDeviceNamedAsTheRelayTapIsRefusedNamingTheCondition() {
        try (Topology t =
                LinkConditionTest.pair(x -> x.delay(Duration.ofMillis(5))).apply()) {
            assumeTrue(
                    t.conditions().get(0).mode() == ConditionedLink.Mode.RELAY,
                    "the kernel has netem: the condition makes no relay TAP");
            List<String> before = LinkConditionTest.names(t, "a");
            String tap =
                    before.stream().filter(n -> n.startsWith("nvc")).findFirst().orElseThrow();
            assertThatThrownBy(() -> t.change().ns("a").bridge(tap).apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("device a/" + tap + ": " + tap + " is the relay TAP of the link condition on"
                            + " a/eth0 (the topology's own, made beside that end): a device the change makes needs"
                            + " another name");
            assertThatThrownBy(() -> t.change().ns("b").veth("y0", "a", tap).apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("device a/" + tap + ": " + tap + " is the relay TAP");
            assertThat(LinkConditionTest.names(t, "a")).isEqualTo(before);
            assertThat(LinkConditionTest.names(t, "b")).doesNotContain("y0");
            assertThat(t.spec().namespace("a").devices())
                    .extracting(d -> d.name())
                    .containsExactly("eth0");
        }
    }
}
