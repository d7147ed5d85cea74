package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rate (tbf on each end) put on a link one of whose ends has a root qdisc of someone else's (a
 * program's {@code tc qdisc add ... root}) is refused, as a relay is on an end with a clsact: EEXIST
 * naming the end and its namespace and the qdisc it has, not the kernel's bare refusal of a device by
 * ifindex ({@code RTM_NEWQDISC add dev #N ...: NLM_F_REPLACE needed to override}); nothing changes.
 */
@RequiresRoot
class ConditionOnAnEndWithAForeignRootQdiscTest {
    private static final LinkCondition RATE = LinkCondition.NONE.withRate("2mbit");

    private final String p = TestNames.unique("jJq") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Topology pair() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.7.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.7.0.2/24")
                .apply();
    }

    private String tc(String ns, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "tc";
        cmd[1] = "-n";
        cmd[2] = p + ns;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Reference.run(cmd).ok().out();
    }

    private List<Object> qdiscs() {
        List<Object> state = new ArrayList<>();
        for (String ns : List.of("a", "b")) {
            state.add(Json.array(tc(ns, "-j", "qdisc", "show", "dev", "eth0")));
        }
        return state;
    }

    private void assertRefused(String foreignOn) {
        try (Topology t = pair()) {
            tc(
                    foreignOn, "qdisc", "add", "dev", "eth0", "root", "handle", "1:", "tbf", "rate", "1mbit", "burst",
                    "32kbit", "latency", "400ms");
            List<Object> before = qdiscs();
            assertThatThrownBy(() -> t.condition("a", "eth0", RATE))
                    .isInstanceOf(NetlinkException.class)
                    .satisfies(
                            e -> assertThat(((NetlinkException) e).isExists()).isTrue())
                    .hasMessageContaining("a/eth0 <-> b/eth0: rate 2mbit")
                    .hasMessageContaining("eth0 in NetNamespace[")
                    .hasMessageContaining("tbf");
            assertThat(qdiscs()).isEqualTo(before);
            assertThat(t.conditions()).isEmpty();
        }
    }

    @Test
    void onTheEndItIsPutOn() {
        assertRefused("a");
    }

    @Test
    void onThePeerEnd() {
        assertRefused("b");
    }
}
