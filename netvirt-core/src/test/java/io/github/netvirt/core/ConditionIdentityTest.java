package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * heal() removes what the condition added to the ends it was put on, by identity: a device made by
 * someone else under an end's name since is left alone.
 */
@RequiresRoot
class ConditionIdentityTest {
    private final String p = TestNames.unique("fc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

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

    private String tc(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "tc";
        cmd[1] = "-n";
        cmd[2] = p + "a";
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Reference.run(cmd).ok().out();
    }

    /** Replaces the pair by a foreign veth named eth0 in a, with {@code qdisc} on it; heals; returns its qdiscs. */
    private String healAfterReplacement(Topology t, String... qdisc) {
        ConditionedLink c = t.conditions().get(0);
        Reference.run("ip", "-n", p + "a", "link", "del", "eth0").ok();
        Reference.run("ip", "-n", p + "a", "link", "add", "eth0", "type", "veth", "peer", "fc-other")
                .ok();
        String[] add = new String[qdisc.length + 4];
        add[0] = "qdisc";
        add[1] = "add";
        add[2] = "dev";
        add[3] = "eth0";
        System.arraycopy(qdisc, 0, add, 4, qdisc.length);
        tc(add);
        c.heal();
        assertThat(c.isActive()).isFalse();
        return tc("qdisc", "show", "dev", "eth0");
    }

    @Test
    void healingATbfLeavesAForeignDeviceOfTheSameNameAlone() {
        try (Topology t = pair(x -> x.rate("10mbit")).apply()) {
            assertThat(t.conditions().get(0).mode()).isEqualTo(ConditionedLink.Mode.TBF);
            assertThat(healAfterReplacement(t, "root", "tbf", "rate", "1mbit", "burst", "10kb", "latency", "50ms"))
                    .contains("tbf");
        }
    }

    @Test
    void healingARelayLeavesAForeignDeviceOfTheSameNameAlone() {
        try (Topology t = pair(x -> x.delay(Duration.ofMillis(5))).apply()) {
            assertThat(t.conditions().get(0).mode()).isEqualTo(ConditionedLink.Mode.RELAY);
            assertThat(healAfterReplacement(t, "clsact")).contains("clsact");
            assertThat(LinkConditionTest.names(t, "a")).noneMatch(n -> n.startsWith("nvc"));
        }
    }
}
