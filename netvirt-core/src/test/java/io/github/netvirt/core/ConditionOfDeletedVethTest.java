package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change that deletes a conditioned veth whose heal throws: the veth, deleted, took the qdiscs and
 * filters of the condition with it, so the condition leaves the topology and its relay stops; a veth
 * made later under the same name is a new device, without the old condition.
 *
 * <p>The heal is made to throw by an interrupt that comes while the change runs, as an interrupt can:
 * the heal meets it at its first hand-off to another thread (opening a netlink handle in end B's
 * namespace), the deletion of the veth (a request on the topology's own handle) does not. To have it
 * come between the two ends' removals, the test deletes end A's clsact first: the heal logs that it
 * leaves end A alone, and a log handler interrupts the changing thread then.
 */
@RequiresRoot
class ConditionOfDeletedVethTest {
    private final String p = TestNames.unique("gg") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private String run(String... cmd) {
        return Reference.run(cmd).ok().out();
    }

    private List<String> links(String ns) {
        List<Map<String, Object>> links = Json.array(run("ip", "-n", p + ns, "-j", "link", "show"));
        return links.stream().map(l -> (String) l.get("ifname")).sorted().toList();
    }

    private List<Object> kinds(String ns, String dev) {
        List<Map<String, Object>> qdiscs = Json.array(run("tc", "-n", p + ns, "-j", "qdisc", "show", "dev", dev));
        return qdiscs.stream().map(q -> q.get("kind")).toList();
    }

    @Test
    void aConditionWhoseHealThrewLeavesWithTheDeletedVethAndIsNotTheNewOnes() {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .delay(Duration.ofMillis(5))
                .addr("10.7.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.7.0.2/24")
                .apply()) {
            ConditionedLink old = t.conditions().get(0);
            assertThat(old.mode()).isEqualTo(ConditionedLink.Mode.RELAY);
            run("tc", "-n", p + "a", "qdisc", "del", "dev", "eth0", "clsact");

            Thread changing = Thread.currentThread();
            Logger log = Logger.getLogger(ConditionedLink.class.getName());
            Handler interrupter = new Handler() {
                @Override
                public void publish(LogRecord r) {
                    if (Thread.currentThread() == changing) {
                        changing.interrupt(); // end A left alone: end B's removal meets the interrupt
                    }
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };
            log.addHandler(interrupter);
            Throwable thrown;
            try {
                thrown = catchThrowable(
                        () -> t.change().ns("a").removeDevice("eth0").apply());
            } finally {
                log.removeHandler(interrupter);
                Thread.interrupted();
            }
            assertThat(links("a")).as("the veth is deleted").doesNotContain("eth0");
            assertThat(links("b")).doesNotContain("eth0");

            assertThat(t.conditions()).as("the condition went with the veth").isEmpty();
            assertThat(old.isActive()).isFalse();
            assertThat(links("a")).as("the relay's TAP").noneMatch(n -> n.startsWith("nvc"));
            assertThat(links("b")).as("the relay's TAP").noneMatch(n -> n.startsWith("nvc"));
            assertThat(thrown)
                    .as("nothing is left: the change did all it was asked")
                    .isNull();

            // a veth made later under the same name is a new device: a condition of its own, healed alone
            t.change().ns("a").veth("eth0", "b", "eth0").addr("10.7.0.1/24").apply();
            assertThat(t.conditions()).isEmpty();
            ConditionedLink now = t.condition("a", "eth0", LinkCondition.NONE.withDelay(Duration.ofMillis(5)));
            assertThat(t.conditions()).containsExactly(now);
            assertThat(kinds("a", "eth0")).contains("clsact");
            t.change().ns("a").removeDevice("eth0").apply();
            assertThat(t.conditions()).isEmpty();
            assertThat(now.isActive()).isFalse();
            assertThat(links("a")).containsExactly("lo");
            assertThat(links("b")).containsExactly("lo");
        }
    }
}
