package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A link (a veth pair, either end) takes one condition at a time: a second is refused before anything
 * changes, naming the one it has, whether the kernel would refuse it (a relay's clsact on an end with a
 * tbf) or not (a tbf root qdisc on an end with a relay's clsact, which the redirect would bypass), and
 * when two threads put conditions on the two ends at once, one wins. On this kernel (no netem) a
 * delay is the relay, a rate alone a tbf on each end.
 */
@RequiresRoot
class SecondConditionOnALinkTest {
    private static final LinkCondition DELAY = LinkCondition.NONE.withDelay(Duration.ofMillis(1));
    private static final LinkCondition RATE = LinkCondition.NONE.withRate("2mbit");

    private final String p = TestNames.unique("gk") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** a/eth0 10.7.0.1 -- b/eth0 10.7.0.2, no condition. */
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

    /** {@code tc -j qdisc show} and {@code tc -j filter show} (both hooks) of eth0 in a and b, as the kernel reports them. */
    private List<Object> tcState() {
        List<Object> state = new ArrayList<>();
        for (String ns : List.of("a", "b")) {
            state.add(Json.array(tc(ns, "-j", "qdisc", "show", "dev", "eth0")));
            state.add(Json.array(tc(ns, "-j", "filter", "show", "dev", "eth0", "egress")));
            state.add(Json.array(tc(ns, "-j", "filter", "show", "dev", "eth0", "ingress")));
        }
        return state;
    }

    private String tc(String ns, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "tc";
        cmd[1] = "-n";
        cmd[2] = p + ns;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Reference.run(cmd).ok().out();
    }

    private void assertRefused(Topology t, String ns, LinkCondition second, ConditionedLink first) {
        List<Object> before = tcState();
        assertThatThrownBy(() -> t.condition(ns, "eth0", second))
                .isInstanceOf(NetlinkException.class)
                .satisfies(e -> assertThat(((NetlinkException) e).isExists()).isTrue())
                .hasMessageContaining("a/eth0 <-> b/eth0: " + first.condition());
        assertThat(tcState()).isEqualTo(before);
        assertThat(t.conditions()).containsExactly(first);
        assertThat(first.isActive()).isTrue();
    }

    @Test
    void aRateOnAnEndOfARelayedLinkIsRefused() {
        try (Topology t = pair()) {
            ConditionedLink first = t.condition("a", "eth0", DELAY);
            assertThat(first.mode()).isEqualTo(ConditionedLink.Mode.RELAY);
            assertRefused(t, "a", RATE, first);
            assertRefused(t, "b", RATE, first);
        }
    }

    @Test
    void aRelayOnAnEndOfARatedLinkIsRefused() {
        try (Topology t = pair()) {
            ConditionedLink first = t.condition("a", "eth0", RATE);
            assertThat(first.mode()).isEqualTo(ConditionedLink.Mode.TBF);
            assertRefused(t, "a", DELAY, first);
            assertRefused(t, "b", DELAY, first);
            assertRefused(t, "b", RATE, first);
        }
    }

    /** A clsact of someone else's (a program's, a PortMirror's) on the peer end: the kernel refuses, naming the end. */
    @Test
    void aForeignClsactOnAnEndIsRefusedByTheKernel() {
        try (Topology t = pair()) {
            tc("b", "qdisc", "add", "dev", "eth0", "clsact");
            List<Object> before = tcState();
            assertThatThrownBy(() -> t.condition("a", "eth0", DELAY))
                    .isInstanceOf(NetlinkException.class)
                    .satisfies(
                            e -> assertThat(((NetlinkException) e).isExists()).isTrue())
                    .hasMessageContaining("has an ingress or clsact qdisc already")
                    .hasMessageContaining("eth0 in NetNamespace[");
            assertThat(tcState()).isEqualTo(before);
            assertThat(t.conditions()).isEmpty();
        }
    }

    /** The conditions of the two threads differ (1 ms and 2 ms) so that the refusal's message names the winner. */
    @Test
    void ofTwoConditionsPutOnTheTwoEndsAtOnceOneWins() throws Exception {
        LinkCondition onA = DELAY;
        LinkCondition onB = LinkCondition.NONE.withDelay(Duration.ofMillis(2));
        // two threads of its own: on 2 CPUs the common pool has one, which JDK 25's supplyAsync uses
        ExecutorService two = Executors.newFixedThreadPool(2);
        try (Topology t = pair()) {
            List<Object> bare = tcState();
            for (int round = 0; round < 30; round++) {
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<ConditionedLink> a =
                        CompletableFuture.supplyAsync(() -> put(t, start, "a", onA), two);
                CompletableFuture<ConditionedLink> b =
                        CompletableFuture.supplyAsync(() -> put(t, start, "b", onB), two);
                Throwable failedA = failure(a);
                Throwable failedB = failure(b);
                assertThat(failedA == null ^ failedB == null)
                        .as("round %d: exactly one wins, failures %s and %s", round, failedA, failedB)
                        .isTrue();
                ConditionedLink winner = failedA == null ? a.join() : b.join();
                Throwable loser = failedA == null ? failedB : failedA;
                assertThat(loser)
                        .isInstanceOf(NetlinkException.class)
                        .hasMessageContaining("the link has one already")
                        .hasMessageContaining(": " + winner.condition() + " "); // 1 ms or 2 ms
                assertThat(((NetlinkException) loser).isExists()).isTrue();
                assertThat(t.conditions()).containsExactly(winner);
                for (String ns : List.of("a", "b")) {
                    List<Map<String, Object>> qdiscs = Json.array(tc(ns, "-j", "qdisc", "show", "dev", "eth0"));
                    assertThat(qdiscs).anyMatch(q -> "clsact".equals(q.get("kind")));
                    assertThat(Json.array(tc(ns, "-j", "filter", "show", "dev", "eth0", "egress")))
                            .anyMatch(f -> "u32".equals(f.get("kind")));
                }
                winner.heal();
                assertThat(t.conditions()).isEmpty();
                assertThat(tcState()).isEqualTo(bare);
            }
        } finally {
            two.shutdownNow();
        }
    }

    private static ConditionedLink put(Topology t, CyclicBarrier start, String ns, LinkCondition c) {
        try {
            start.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return t.condition(ns, "eth0", c);
    }

    /** What {@code f} failed with, null when it returned. */
    private static Throwable failure(CompletableFuture<ConditionedLink> f) throws InterruptedException {
        try {
            f.get(60, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("a condition took over 60 s", e);
        }
    }
}
