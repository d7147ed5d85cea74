package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.Link;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A change that removes a conditioned veth, or a namespace holding one of its ends, heals the condition. */
@io.github.netvirt.netns.testing.RequiresRoot
class ConditionRemovalTest {

    private static List<String> links(Topology t, String ns) {
        return t.linkList(ns).stream().map(Link::name).sorted().toList();
    }

    @Test
    void removingAConditionedVethTakesItsRelayAlong() {
        try (Topology t =
                LinkConditionTest.pair(x -> x.delay(Duration.ofMillis(5))).apply()) {
            assertThat(t.conditions()).hasSize(1);
            ConditionedLink c = t.conditions().get(0);
            assertThat(links(t, "a")).anyMatch(n -> n.startsWith("nvc"));
            t.change().ns("a").removeDevice("eth0").apply();
            assertThat(links(t, "a")).containsExactly("lo");
            assertThat(links(t, "b")).containsExactly("lo");
            assertThat(t.conditions()).isEmpty();
            assertThat(c.isActive()).isFalse();
        }
    }

    @Test
    void removingTheNamespaceOfAConditionedEndTakesTheRelayAlong() {
        try (Topology t =
                LinkConditionTest.pair(x -> x.delay(Duration.ofMillis(5))).apply()) {
            ConditionedLink c = t.conditions().get(0);
            t.change().removeNamespace("b").apply();
            assertThat(links(t, "a")).containsExactly("lo");
            assertThat(t.conditions()).isEmpty();
            assertThat(c.isActive()).isFalse();
        }
    }
}
