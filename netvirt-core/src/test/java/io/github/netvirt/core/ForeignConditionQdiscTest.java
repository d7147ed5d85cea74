package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A condition's heal (and a topology's close, and a change that removes the conditioned veth) removes
 * the qdiscs the condition added, not whatever the ends carry by then: a root qdisc someone put in
 * place of the condition's tbf stays. On this kernel (no netem) a rate alone is a tbf on each end.
 */
@RequiresRoot
class ForeignConditionQdiscTest {
    private final String p = TestNames.unique("qc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** a/eth0 -- b/eth0 with a rate of 10 Mbit/s on a's end: a tbf on both ends. */
    private Topology rated() {
        Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.7.0.1/24")
                .rate("10mbit")
                .ns("b")
                .dev("eth0")
                .addr("10.7.0.2/24")
                .apply();
        assertThat(t.conditions())
                .singleElement()
                .satisfies(c -> assertThat(c.mode()).isEqualTo(ConditionedLink.Mode.TBF));
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

    /** The root qdisc of eth0 in {@code ns}, as {@code tc -j qdisc show} lists it. */
    private Optional<Map<String, Object>> root(String ns) {
        List<Map<String, Object>> qdiscs = Json.array(tc(ns, "-j", "qdisc", "show", "dev", "eth0"));
        return qdiscs.stream().filter(q -> Boolean.TRUE.equals(q.get("root"))).findFirst();
    }

    /** Someone else's htb in place of a's tbf ({@code tc qdisc replace ... root handle 1: htb}). */
    private void replaceWithHtb() {
        assertThat(root("a")).hasValueSatisfying(q -> assertThat(q).containsEntry("kind", "tbf"));
        tc("a", "qdisc", "replace", "dev", "eth0", "root", "handle", "1:", "htb", "default", "1");
        assertThat(root("a")).hasValueSatisfying(q -> assertThat(q).containsEntry("kind", "htb"));
    }

    private void assertHtbStaysAndBsTbfIsGone() {
        assertThat(root("a"))
                .hasValueSatisfying(
                        q -> assertThat(q).containsEntry("kind", "htb").containsEntry("handle", "1:"));
        assertThat(root("b")).hasValueSatisfying(q -> assertThat(q.get("kind")).isNotEqualTo("tbf"));
    }

    @Test
    void anHtbPutInPlaceOfTheConditionsTbfStaysAtHeal() {
        try (Topology t = rated()) {
            ConditionedLink c = t.conditions().get(0);
            replaceWithHtb();
            c.heal();
            assertThat(c.isActive()).isFalse();
            assertHtbStaysAndBsTbfIsGone();
        }
    }

    /**
     * What the ends' root qdiscs are right after {@code c} heals: a close or change deletes the devices
     * (or namespaces) after the heal, their qdiscs with them. The hook replaces the topology's own, which
     * only drops the condition from {@link Topology#conditions()}; a second heal does nothing.
     */
    private List<Object> rootKindsAtHeal(ConditionedLink c) {
        List<Object> kinds = new java.util.concurrent.CopyOnWriteArrayList<>();
        c.onHeal(() -> {
            kinds.add(root("a").map(q -> q.get("kind")).orElse("none"));
            kinds.add(root("b").map(q -> q.get("kind")).orElse("none"));
        });
        return kinds;
    }

    @Test
    void anHtbPutInPlaceOfTheConditionsTbfStaysAtClose() {
        Topology t = rated();
        List<Object> kinds;
        try (t) {
            ConditionedLink c = t.conditions().get(0);
            replaceWithHtb();
            kinds = rootKindsAtHeal(c);
        }
        assertThat(kinds).hasSize(2);
        assertThat(kinds.get(0)).isEqualTo("htb");
        assertThat(kinds.get(1)).isNotEqualTo("tbf");
    }

    @Test
    void aTbfAddedAfterTheConditionsWasDeletedStays() {
        try (Topology t = rated()) {
            ConditionedLink c = t.conditions().get(0);
            Object ours = root("a").orElseThrow().get("handle");
            tc("a", "qdisc", "del", "dev", "eth0", "root");
            tc("a", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", "3mbit", "burst", "32k", "latency", "20ms");
            Object theirs = root("a").orElseThrow().get("handle");
            assertThat(theirs).isNotEqualTo(ours);
            c.heal();
            assertThat(root("a"))
                    .hasValueSatisfying(
                            q -> assertThat(q).containsEntry("kind", "tbf").containsEntry("handle", theirs));
        }
    }

    @Test
    void theConditionsOwnTbfsAreRemovedAtHeal() {
        try (Topology t = rated()) {
            ConditionedLink c = t.conditions().get(0);
            // a tc qdisc change keeps the qdisc and its handle: still the condition's
            tc(
                    "a", "qdisc", "change", "dev", "eth0", "root", "tbf", "rate", "2mbit", "burst", "32k", "latency",
                    "20ms");
            c.heal();
            for (String ns : List.of("a", "b")) {
                assertThat(Json.array(tc(ns, "-j", "qdisc", "show", "dev", "eth0")))
                        .noneMatch(q -> "tbf".equals(q.get("kind")));
            }
            assertThat(t.conditions()).isEmpty();
        }
    }

    @Test
    void removingTheConditionedVethByAChangeLeavesAnHtbInPlaceOfATbfAlone() {
        try (Topology t = rated()) {
            ConditionedLink c = t.conditions().get(0);
            replaceWithHtb();
            List<Object> kinds = rootKindsAtHeal(c);
            t.change().ns("a").removeDevice("eth0").apply();
            assertThat(c.isActive()).isFalse();
            assertThat(kinds).hasSize(2);
            assertThat(kinds.get(0)).isEqualTo("htb");
            assertThat(kinds.get(1)).isNotEqualTo("tbf");
        }
    }

    /** a/eth0 -- b/eth0 without a condition. */
    private Topology plain() {
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

    /**
     * A rate on a link one of whose ends carries someone else's root qdisc is refused by the kernel,
     * and theirs stays: a root qdisc added without a handle would take its place (this kernel grafts
     * a tbf over a pfifo, NLM_F_EXCL or not).
     */
    @Test
    void aRateOnALinkWhoseEndHasSomeonesRootQdiscIsRefusedAndTheirsStays() {
        for (String theirs : List.of("a", "b")) {
            try (Topology t = plain()) {
                tc(theirs, "qdisc", "add", "dev", "eth0", "root", "handle", "1:", "pfifo");
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> t.condition("a", "eth0", LinkCondition.NONE.withRate("10mbit")))
                        .as("their pfifo on %s", theirs)
                        .isInstanceOf(io.github.netvirt.netlink.NetlinkException.class)
                        .satisfies(e -> assertThat(((io.github.netvirt.netlink.NetlinkException) e)
                                        .is(io.github.netvirt.netns.sys.Errno.EEXIST))
                                .isTrue());
                assertThat(root(theirs))
                        .as("their pfifo on %s", theirs)
                        .hasValueSatisfying(q ->
                                assertThat(q).containsEntry("kind", "pfifo").containsEntry("handle", "1:"));
                for (String ns : List.of("a", "b")) {
                    assertThat(qdiscs(ns)).as(ns).noneMatch(q -> "tbf".equals(q.get("kind")));
                }
                assertThat(t.conditions()).isEmpty();
            }
        }
    }

    /** a/eth0 -- b/eth0 with a delay on a's end: on this kernel (no netem), the relay's clsact on both ends. */
    private Topology relayed() {
        Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.7.0.1/24")
                .delay(java.time.Duration.ofMillis(5))
                .ns("b")
                .dev("eth0")
                .addr("10.7.0.2/24")
                .apply();
        assertThat(t.conditions())
                .singleElement()
                .satisfies(c -> assertThat(c.mode()).isEqualTo(ConditionedLink.Mode.RELAY));
        return t;
    }

    private List<Map<String, Object>> qdiscs(String ns) {
        return Json.array(tc(ns, "-j", "qdisc", "show", "dev", "eth0"));
    }

    private List<Map<String, Object>> filters(String ns, String hook) {
        return Json.array(tc(ns, "-j", "filter", "show", "dev", "eth0", hook));
    }

    private static int pref(Map<String, Object> filter) {
        return ((Number) filter.get("pref")).intValue();
    }

    /** Someone's filter on a's clsact: {@code tc filter add dev eth0 HOOK prio 7 u32 ... classid 1:1}, no action. */
    private void theirFilter(String hook) {
        tc(
                "a",
                "filter",
                "add",
                "dev",
                "eth0",
                hook,
                "prio",
                "7",
                "protocol",
                "all",
                "u32",
                "match",
                "u32",
                "0",
                "0",
                "classid",
                "1:1");
    }

    @Test
    void aClsactAddedAfterTheRelaysWasDeletedStaysWithItsFilter() {
        try (Topology t = relayed()) {
            ConditionedLink c = t.conditions().get(0);
            tc("a", "qdisc", "del", "dev", "eth0", "clsact");
            tc("a", "qdisc", "add", "dev", "eth0", "clsact");
            theirFilter("egress");
            c.heal();
            assertThat(qdiscs("a")).anyMatch(q -> "clsact".equals(q.get("kind")));
            assertThat(filters("a", "egress")).anyMatch(f -> pref(f) == 7);
            assertThat(qdiscs("b")).noneMatch(q -> "clsact".equals(q.get("kind")));
        }
    }

    @Test
    void aFilterOfSomeoneElseOnTheRelaysClsactStaysWithIt() {
        for (String hook : List.of("ingress", "egress")) {
            try (Topology t = relayed()) {
                ConditionedLink c = t.conditions().get(0);
                theirFilter(hook);
                c.heal();
                assertThat(qdiscs("a")).as(hook).anyMatch(q -> "clsact".equals(q.get("kind")));
                assertThat(filters("a", hook)).as(hook).anyMatch(f -> pref(f) == 7);
                // the relay's redirect is gone: the only egress filters left are theirs
                assertThat(filters("a", "egress")).as(hook).noneMatch(f -> pref(f) == 1);
                assertThat(qdiscs("b")).as(hook).noneMatch(q -> "clsact".equals(q.get("kind")));
            }
        }
    }

    @Test
    void theRelaysOwnClsactIsRemovedAtHeal() {
        try (Topology t = relayed()) {
            ConditionedLink c = t.conditions().get(0);
            c.heal();
            for (String ns : List.of("a", "b")) {
                assertThat(qdiscs(ns)).noneMatch(q -> "clsact".equals(q.get("kind")));
            }
            assertThat(LinkConditionTest.names(t, "a")).noneMatch(n -> n.startsWith("nvc"));
        }
    }
}
