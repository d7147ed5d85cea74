package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.netns.testing.WithoutNetAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A heal the kernel refuses leaves the condition in force and in the topology's care: {@code isActive()}
 * stays true, the condition stays in {@link Topology#conditions()}, the next heal (or the topology's
 * close) removes what is left. The refusal is the kernel's EPERM to a thread without CAP_NET_ADMIN
 * ({@link WithoutNetAdmin}); a qdisc gone or replaced is no refusal (left alone,
 * {@code ForeignConditionQdiscTest}). On this kernel (no netem) a rate alone is a tbf on each end, a
 * delay the relay's clsact on each end and a TAP next to each.
 */
@RequiresRoot
class FailedConditionHealTest {
    private final String p = TestNames.unique("gb") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private Topology conditioned(boolean relay) {
        var b = Topology.create().prefix(p).ns("a").veth("eth0", "b", "eth0").addr("10.7.0.1/24");
        var withCondition = relay ? b.delay(Duration.ofMillis(5)) : b.rate("10mbit");
        Topology t = withCondition.ns("b").dev("eth0").addr("10.7.0.2/24").apply();
        assertThat(t.conditions())
                .singleElement()
                .satisfies(c ->
                        assertThat(c.mode()).isEqualTo(relay ? ConditionedLink.Mode.RELAY : ConditionedLink.Mode.TBF));
        return t;
    }

    private String tc(String ns, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "tc";
        cmd[1] = "-n";
        cmd[2] = p + ns;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Reference.run(cmd).ok().out();
    }

    /** The kinds of eth0's qdiscs in {@code ns}, as {@code tc -j qdisc show dev eth0} lists them. */
    private List<Object> kinds(String ns) {
        List<Map<String, Object>> qdiscs = Json.array(tc(ns, "-j", "qdisc", "show", "dev", "eth0"));
        return qdiscs.stream().map(q -> q.get("kind")).toList();
    }

    /** The heal of {@code c} on a thread without CAP_NET_ADMIN: what it threw. */
    private static NetlinkException refusedHeal(ConditionedLink c) {
        Throwable thrown = catchThrowable(() -> WithoutNetAdmin.run(c::heal));
        assertThat(thrown).isInstanceOf(NetlinkException.class);
        NetlinkException e = (NetlinkException) thrown;
        assertThat(e.isPermissionDenied()).as(e.toString()).isTrue();
        return e;
    }

    private void assertStillInForce(Topology t, ConditionedLink c, String kind) {
        assertThat(c.isActive()).as("isActive after a heal that threw").isTrue();
        assertThat(c.toString()).doesNotContain("healed");
        assertThat(t.conditions()).as("still the topology's to heal").containsExactly(c);
        for (String ns : List.of("a", "b")) {
            assertThat(kinds(ns)).as(ns + "/eth0 after the refused heal").contains(kind);
        }
    }

    @Test
    void aRefusedHealLeavesTheTbfsAndTheNextHealRemovesThem() {
        try (Topology t = conditioned(false)) {
            ConditionedLink c = t.conditions().get(0);
            NetlinkException e = refusedHeal(c);
            assertThat(e.getSuppressed()).as("both ends refused").hasSize(1);
            assertStillInForce(t, c, "tbf");
            assertThat(catchThrowable(() -> WithoutNetAdmin.run(c::heal)))
                    .as("a second refused heal tries again")
                    .isInstanceOf(NetlinkException.class);

            c.heal();
            for (String ns : List.of("a", "b")) {
                assertThat(kinds(ns)).as(ns).doesNotContain("tbf");
            }
            assertThat(c.isActive()).isFalse();
            assertThat(c.toString()).contains("healed");
            assertThat(t.conditions()).isEmpty();
            WithoutNetAdmin.run(c::heal); // healed: nothing to ask the kernel any more
        }
    }

    @Test
    void aRefusedHealLeavesTheRelayAndTheNextHealRemovesIt() {
        try (Topology t = conditioned(true)) {
            ConditionedLink c = t.conditions().get(0);
            refusedHeal(c);
            assertStillInForce(t, c, "clsact");
            assertThat(LinkConditionTest.names(t, "a")).as("the relay's TAP").anyMatch(n -> n.startsWith("nvc"));
            assertThat(c.stats(ConditionedLink.Direction.A_TO_B)).isNotNull();

            c.heal();
            for (String ns : List.of("a", "b")) {
                assertThat(kinds(ns)).as(ns).doesNotContain("clsact");
                assertThat(LinkConditionTest.names(t, ns)).noneMatch(n -> n.startsWith("nvc"));
            }
            assertThat(c.isActive()).isFalse();
            assertThat(t.conditions()).isEmpty();
        }
    }

    /**
     * The topology's close heals a condition whose heal threw: the ends' qdiscs as they are when that
     * heal returns (the close deletes the namespaces after it).
     */
    @Test
    void theTopologysCloseHealsAConditionWhoseHealThrew() {
        List<List<Object>> atHeal = new CopyOnWriteArrayList<>();
        ConditionedLink c;
        try (Topology t = conditioned(false)) {
            c = t.conditions().get(0);
            c.onHeal(() -> {
                atHeal.add(kinds("a"));
                atHeal.add(kinds("b"));
            });
            refusedHeal(c);
            assertThat(atHeal).as("no heal returned").isEmpty();
        }
        assertThat(c.isActive()).isFalse();
        assertThat(atHeal)
                .as("a's and b's qdiscs when the close's heal returned")
                .hasSize(2);
        assertThat(atHeal).allSatisfy(kinds -> assertThat(kinds).doesNotContain("tbf"));
    }
}
