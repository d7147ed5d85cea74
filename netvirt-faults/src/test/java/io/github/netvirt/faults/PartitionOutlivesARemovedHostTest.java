package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change that removes one namespace of a fault spanning several drops only the fault's part in it:
 * a partition {a} | {b, c} keeps a and c apart once b is gone, until its heal. A fault whose every
 * namespace is gone is healed; a schedule's {@link ScheduleRun#active()} no longer lists a fault
 * healed that way.
 */
@RequiresRoot
class PartitionOutlivesARemovedHostTest {
    private final String p = TestNames.unique("fn") + "-";
    private Topology t;

    @BeforeEach
    void lan() {
        t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "sw", "pa")
                .addr("10.95.0.1/24")
                .ns("b")
                .veth("eth0", "sw", "pb")
                .addr("10.95.0.2/24")
                .ns("c")
                .veth("eth0", "sw", "pc")
                .addr("10.95.0.3/24")
                .ns("sw")
                .bridge("br")
                .ports("pa", "pb", "pc")
                .apply();
    }

    @AfterEach
    void close() {
        t.close();
    }

    private Outcome tcp(String from, String toAddress) throws Exception {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(toAddress), Reachability.PROBE_PORT);
        return Reachability.tcp(t.namespace(from), to, Duration.ofMillis(700)).outcome();
    }

    @Test
    void aPartitionStaysInForceBetweenTheHostsAChangeLeaves() throws Exception {
        Partition partition = Partition.between(List.of(t.namespace("a")), List.of(t.namespace("b"), t.namespace("c")));
        assertThat(tcp("a", "10.95.0.3")).isEqualTo(Outcome.TIMEOUT);

        t.change().removeNamespace("b").apply();

        assertThat(partition.isActive()).isTrue();
        assertThat(LoneFaultKillTest.tables(p + "a"))
                .as("the partition's table in a")
                .hasSize(1);
        assertThat(LoneFaultKillTest.tables(p + "c"))
                .as("the partition's table in c")
                .hasSize(1);
        assertThat(tcp("a", "10.95.0.3")).as("a -> c").isEqualTo(Outcome.TIMEOUT);
        assertThat(tcp("c", "10.95.0.1")).as("c -> a").isEqualTo(Outcome.TIMEOUT);

        partition.heal();

        assertThat(partition.isActive()).isFalse();
        assertThat(LoneFaultKillTest.tables(p + "a")).isEmpty();
        assertThat(LoneFaultKillTest.tables(p + "c")).isEmpty();
        assertThat(tcp("a", "10.95.0.3")).as("a -> c healed").isEqualTo(Outcome.REFUSED);
        assertThat(tcp("c", "10.95.0.1")).as("c -> a healed").isEqualTo(Outcome.REFUSED);
    }

    @Test
    void aPartitionWhoseEveryHostIsRemovedIsHealed() {
        Partition partition = Partition.between(List.of(t.namespace("b")), List.of(t.namespace("c")));

        t.change().removeNamespace("b").apply();
        assertThat(partition.isActive()).as("c's part left").isTrue();
        t.change().removeNamespace("c").apply();

        assertThat(partition.isActive()).isFalse();
        partition.heal(); // nothing left to do
    }

    @Test
    void theTopologysCloseHealsWhatIsLeft() {
        Partition partition = Partition.between(List.of(t.namespace("a")), List.of(t.namespace("b"), t.namespace("c")));
        t.change().removeNamespace("b").apply();

        t.close();

        assertThat(partition.isActive()).isFalse();
    }

    @Test
    void aScheduledCutHealedByARemovalIsNoLongerActive() throws Exception {
        Duration length = Duration.ofSeconds(60);
        FaultSchedule s = FaultSchedule.over(List.of("a", "c"), List.of("c/eth0"))
                .kinds(ScheduledFault.Kind.CUT)
                .length(length)
                .faults(1)
                .faultLength(length, length) // from 0 to the end: in force until the run's close
                .plan(1);
        Map<String, NetNamespace> hosts = Map.of("a", t.namespace("a"), "c", t.namespace("c"));
        try (ScheduleRun run = s.start(hosts)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (run.active().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(run.active()).as(run.toString()).hasSize(1);

            t.change().removeNamespace("c").apply();

            assertThat(run.active()).as("the cut went with c").isEmpty();
        }
    }
}
