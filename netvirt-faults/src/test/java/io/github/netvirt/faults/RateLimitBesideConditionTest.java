package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.ConditionedLink;
import io.github.netvirt.core.Topology;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.ExecResult;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rate limit and a relay link condition on one veth end cannot both work (the relay's clsact
 * redirects the end's egress before its root qdisc, so the limit would see no packet): the second
 * is refused with EEXIST, in either order, and nothing changes; the first keeps working. (With netem
 * the condition is a root qdisc and the kernel refuses the second itself.)
 */
@RequiresRoot
class RateLimitBesideConditionTest {
    private static final LinkCondition DELAY = LinkCondition.NONE.withDelay(Duration.ofMillis(1));

    /** {@code tc -s -j qdisc show dev eth0} in {@code ns}. */
    private static List<Map<String, Object>> qdiscs(NetNamespace ns) throws Exception {
        ExecResult r = ns.exec("tc", "-s", "-j", "qdisc", "show", "dev", "eth0");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return Json.array(r.stdout());
    }

    private static List<Object> kinds(NetNamespace ns) throws Exception {
        return qdiscs(ns).stream().map(q -> q.get("kind")).toList();
    }

    private static long tbfBytes(NetNamespace ns) throws Exception {
        return qdiscs(ns).stream()
                .filter(q -> "tbf".equals(q.get("kind")))
                .mapToLong(q -> ((Number) q.get("bytes")).longValue())
                .sum();
    }

    @Test
    void aRelayConditionIsRefusedOnAnEndWithARateLimit() throws Exception {
        try (Topology t = LinkConditionFaultTest.pair();
                Fault limit = RateLimit.of(5_000_000).on(t.namespace("a"), "eth0")) {
            NetNamespace a = t.namespace("a");
            List<Object> before = kinds(a);
            assertThat(before).containsExactly("tbf");
            assertThatThrownBy(() -> LinkConditionFault.on(t, "a", "eth0", DELAY))
                    .isInstanceOfSatisfying(
                            NetlinkException.class,
                            e -> assertThat(e.isExists()).isTrue());
            assertThat(kinds(a)).isEqualTo(before);
            assertThat(kinds(t.namespace("b"))).doesNotContain("clsact");
            // the limit still sees (and paces) the traffic
            long sent = tbfBytes(a);
            LinkConditionFaultTest.transfer(t, 7501, 200_000);
            assertThat(tbfBytes(a) - sent).isGreaterThan(200_000);
        }
    }

    @Test
    void aRateLimitIsRefusedOnAnEndWithARelayCondition() throws Exception {
        try (Topology t = LinkConditionFaultTest.pair();
                LinkConditionFault f = LinkConditionFault.on(t, "a", "eth0", DELAY)) {
            NetNamespace a = t.namespace("a");
            List<Object> before = kinds(a);
            assertThatThrownBy(() -> RateLimit.of(5_000_000).on(a, "eth0"))
                    .isInstanceOfSatisfying(
                            NetlinkException.class,
                            e -> assertThat(e.isExists()).isTrue())
                    .hasMessageContaining(f.link().mode() == ConditionedLink.Mode.RELAY ? "clsact" : "root qdisc");
            assertThat(kinds(a)).isEqualTo(before).doesNotContain("tbf");
        }
    }
}
