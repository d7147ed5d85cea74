package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The change that removes a topology's last IPv6 address turns DAD on again in its namespaces, for the
 * devices there and those made after ({@code accept_dad} 1, the kernel's default), as an apply of the
 * description it leaves (no IPv6) has them; a failed one leaves DAD off. Failed before (a helper's
 * audit, s44-b): DAD stayed off, {@code default} and each device's {@code accept_dad} 0.
 */
@RequiresRoot
class ChangeLastIpv6RemovedTest {
    private final String p = TestNames.unique("cl") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Topology withIpv6() {
        Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .bridge("b0")
                .addr("fd00:c1::1/64")
                .bridge("b1")
                .apply();
        assertThat(acceptDad("default")).isEqualTo("0");
        assertThat(acceptDad("b0")).isEqualTo("0");
        return t;
    }

    @Test
    void theChangeThatRemovesTheLastIpv6TurnsDadOnAgain() {
        try (Topology t = withIpv6()) {
            TopologyBuilder change =
                    t.change().ns("a").dev("b0").removeAddr("fd00:c1::1/64").bridge("b2");
            assertThat(change.plan().steps()).anyMatch(s -> s.action() == Action.DAD_ON);
            assertThat(change.toScript()).contains("echo 1 | ip netns exec " + p + "a tee");
            change.apply();
            for (String key : List.of("default", "b0", "b1", "b2")) {
                assertThat(acceptDad(key)).as("accept_dad of " + key).isEqualTo("1");
            }
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    @Test
    void aFailedChangeThatRemovedTheLastIpv6LeavesDadOff() {
        try (Topology t = withIpv6()) {
            TopologyBuilder change =
                    t.change().ns("a").dev("b0").removeAddr("fd00:c1::1/64").bridge("b2");
            int last = change.plan().steps().size() - 1;
            assertThatThrownBy(() -> change.apply(ApplyOptions.failingAt(last, () -> {})))
                    .isInstanceOf(ApplyException.class);
            for (String key : List.of("default", "b0", "b1")) {
                assertThat(acceptDad(key)).as("accept_dad of " + key).isEqualTo("0");
            }
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    private String acceptDad(String dev) {
        return Reference.run("ip", "netns", "exec", p + "a", "cat", "/proc/sys/net/ipv6/conf/" + dev + "/accept_dad")
                .out()
                .strip();
    }
}
