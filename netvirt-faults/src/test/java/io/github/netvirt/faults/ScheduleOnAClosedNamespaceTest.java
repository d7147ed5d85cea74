package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A schedule is refused by {@link FaultSchedule#start} before anything runs when a host's namespace
 * handle is closed, or when two hosts are one namespace (the same handle, or two handles on it).
 * Accepted, each fault failed when its time came, on the schedule's thread, and the error surfaced
 * only at the run's close. Every fault alone refuses a closed handle at once
 * ({@code IllegalStateException}), and start refuses a missing host before anything starts.
 */
@RequiresRoot
class ScheduleOnAClosedNamespaceTest {

    @Test
    void aClosedHostIsRefusedByStartBeforeAnythingRuns() throws Exception {
        NetNamespace closed = NetNamespace.ephemeral();
        closed.close();
        FaultSchedule schedule = FaultSchedule.over(List.of("h"), List.of("h/lo"))
                .length(Duration.ofMillis(100))
                .faults(1)
                .plan(1);
        ScheduleRun run = null;
        RuntimeException refused = null;
        try {
            run = schedule.start(Map.of("h", closed));
        } catch (RuntimeException e) {
            refused = e;
        }
        if (run != null) {
            run.awaitEnd(Duration.ofSeconds(30));
            String log = run.toString();
            try {
                run.close();
            } catch (RuntimeException late) {
                log += "\nclose threw " + late;
            }
            assertThat(refused)
                    .as("start accepted a closed namespace; the run:\n" + log)
                    .isNotNull();
        }
        assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void twoHostsOnOneNamespaceAreRefusedByStartBeforeAnythingRuns() {
        FaultSchedule schedule = FaultSchedule.over(List.of("a", "b"), List.of())
                .kinds(ScheduledFault.Kind.PARTITION)
                .length(Duration.ofMillis(100))
                .faults(1)
                .plan(1);
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetNamespace again = ns.reopen()) {
            for (NetNamespace b : List.of(ns, again)) {
                RuntimeException refused = null;
                try {
                    schedule.start(Map.of("a", ns, "b", b)).close();
                } catch (RuntimeException e) {
                    refused = e;
                }
                assertThat(refused).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one namespace");
            }
        }
    }
}
