package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kernel refuses a link condition declared with a pair, after the other steps (someone put a
 * qdisc of their own where the condition puts its own meanwhile): apply() fails with an {@link ApplyException} naming the condition as
 * its step, as for any other refusal, and leaves nothing.
 */
@RequiresRoot
class DeclaredConditionRefusedTest {
    private final String p = TestNames.unique("hB") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void aRefusedConditionIsAnApplyExceptionAndNothingIsLeft() throws Exception {
        String state = StateDump.of(p);
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "e0")
                .addr("10.0.0.1/24")
                .rate("10mbit")
                .delay(Duration.ofMillis(50))
                .ns("b")
                .dev("e0")
                .addr("10.0.0.2/24");
        int veth = b.plan().steps().stream()
                .filter(s -> s.op() instanceof LinkAddStep add && add.device().isVeth())
                .findFirst()
                .orElseThrow()
                .index();
        int steps = b.plan().steps().size();
        // once the pair is made, someone's qdisc where the condition puts its own: with netem a tbf of
        // handle 1: at the root of a's end, without netem the relay's clsact on b's end
        String[] others = netem()
                ? new String[] {"tc", "-n", p + "a", "qdisc", "add", "dev", "e0", "root", "handle", "1:", "pfifo"}
                : new String[] {"tc", "-n", p + "b", "qdisc", "add", "dev", "e0", "clsact"};

        ApplyException e = catchThrowableOfType(
                () -> b.apply(ApplyOptions.othersAfter(
                        veth, () -> Reference.run(others).ok())),
                ApplyException.class);

        assertThat(e).as("apply's failure").isNotNull();
        assertThat(e.step().action()).isEqualTo(Action.LINK_CONDITION);
        assertThat(e.step().index()).isEqualTo(steps);
        assertThat(e.step().ns()).isEqualTo("a");
        assertThat(e.step().commands()).first().asString().startsWith("# link condition a/e0 <-> b/e0");
        assertThat(e.errno()).isEqualTo(Errno.EEXIST.code());
        assertThat(e.getCause()).isInstanceOf(NetlinkException.class);
        assertThat(e)
                .hasMessageStartingWith(
                        "apply failed at step #" + steps + " LINK_CONDITION a/e0 <-> b/e0: rate 10mbit delay 50ms: ")
                .hasMessageEndingWith("; everything done before was undone");
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(StateDump.of(p)).isEqualTo(state);
        assertThat(Reference.records(p)).as("crash records").isEmpty();
    }

    /** Whether this kernel has netem: whether a namespace's lo takes it. */
    private boolean netem() {
        String probe = p + "probe";
        Reference.run("ip", "netns", "add", probe).ok();
        try {
            return Reference.run("tc", "-n", probe, "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms")
                            .exitCode()
                    == 0;
        } finally {
            Reference.run("ip", "netns", "del", probe).ok();
        }
    }
}
