package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A delay put on a live link whose MTU was raised above a TAP's maximum since apply is refused before
 * anything changes, naming the end, where the kernel has no netem (the relay's TAPs could not take the
 * MTU: the kernel's bare "mtu greater than device maximum" escaped half-way before).
 */
@RequiresRoot
class RelayAboveTapMtuTest {
    private final String p = TestNames.unique("gS") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aDelayOnALinkAboveATapsMaximumMtuIsRefusedNamingTheEnd() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "e0")
                .veth("e1", "b", "e1")
                .ns("b")
                .apply()) {
            boolean relay = relayed(t);
            Reference.run("ip", "-n", p + "a", "link", "set", "e0", "mtu", "65535")
                    .ok();
            String before = Reference.run("ip", "-n", p + "a", "-o", "link")
                            .ok()
                            .out()
                    + Reference.run("ip", "-n", p + "b", "-o", "link").ok().out()
                    + Reference.run("tc", "-n", p + "a", "qdisc", "show").ok().out();
            LinkCondition delay = LinkCondition.NONE.withDelay(Duration.ofMillis(1));
            if (relay) {
                assertThatThrownBy(() -> t.condition("a", "e0", delay))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("a/e0's MTU 65535 is above a tap's maximum 65521");
                assertThat(Reference.run("ip", "-n", p + "a", "-o", "link").ok().out()
                                + Reference.run("ip", "-n", p + "b", "-o", "link")
                                        .ok()
                                        .out()
                                + Reference.run("tc", "-n", p + "a", "qdisc", "show")
                                        .ok()
                                        .out())
                        .isEqualTo(before);
                assertThat(t.conditions()).isEmpty();
            }
        }
    }

    /** Whether a delay runs through the relay on this kernel (no netem): tried on a/e1, healed at once. */
    private static boolean relayed(Topology t) {
        ConditionedLink c = t.condition("a", "e1", LinkCondition.NONE.withDelay(Duration.ofMillis(1)));
        c.heal();
        return c.relayTapIndexes() != null;
    }
}
