package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Link conditions and detach(): one carried by the kernel (tbf) stays with the detached network; one
 * carried by the relay in this JVM cannot outlive it, so detach() refuses before anything changes.
 */
@RequiresRoot
class DetachConditionsTest {
    private final String p = TestNames.unique("fc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** a/eth0 10.7.0.1 -- b/eth0 10.7.0.2, named, with {@code condition} on a's end. */
    private TopologyBuilder pair(UnaryOperator<TopologyBuilder> condition) {
        return condition
                .apply(Topology.create()
                        .prefix(p)
                        .ns("a")
                        .veth("eth0", "b", "eth0")
                        .addr("10.7.0.1/24"))
                .ns("b")
                .dev("eth0")
                .addr("10.7.0.2/24");
    }

    private String qdiscs(String ns) {
        return Reference.run("tc", "-n", p + ns, "qdisc", "show", "dev", "eth0")
                .ok()
                .out();
    }

    @Test
    void aRelayedConditionRefusesDetachAndNothingChanges() {
        try (Topology t = pair(x -> x.delay(Duration.ofMillis(5))).apply()) {
            ConditionedLink c = t.conditions().get(0);
            assertThat(c.mode()).isEqualTo(ConditionedLink.Mode.RELAY);
            assertThatThrownBy(t::detach)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("link condition");
            assertThat(t.isOpen()).isTrue();
            assertThat(c.isActive()).isTrue();
            assertThat(t.conditions()).containsExactly(c);
            assertThat(qdiscs("a")).contains("clsact");
            assertThat(LinkConditionTest.names(t, "a")).anyMatch(n -> n.startsWith("nvc"));
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aConditionInTheKernelStaysWithTheDetachedNetwork() {
        Topology t = pair(x -> x.rate("10mbit")).apply();
        ConditionedLink c = t.conditions().get(0);
        assertThat(c.mode()).isEqualTo(ConditionedLink.Mode.TBF);
        t.detach();
        assertThat(qdiscs("a")).contains("tbf");
        assertThat(qdiscs("b")).contains("tbf");
        assertThat(c.isActive()).as("let go: the detached network carries it").isFalse();
        c.heal(); // does nothing now
        assertThat(qdiscs("a")).contains("tbf");
        assertThat(Topology.removeDetached(p)).hasSize(2);
        assertThat(Reference.namespaces(p)).isEmpty();
    }
}
