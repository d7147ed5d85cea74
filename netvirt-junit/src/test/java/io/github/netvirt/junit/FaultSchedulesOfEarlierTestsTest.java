package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.faults.ScheduleRun;
import io.github.netvirt.faults.ScheduledFault.Kind;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * On a network the tests of a class share, a failing test's message shows its own fault schedules
 * and those still running (an earlier test's, in force during it), not the finished schedules of the
 * tests before it: their seeds would pass for the one to replay.
 */
class FaultSchedulesOfEarlierTestsTest {
    static final Map<String, Long> SEEDS = new ConcurrentHashMap<>();

    @NetvirtTest
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    @ExtendWith(InnerOnly.class)
    static class Shared {
        @Network
        static TestNetwork net = TwoHosts.of("web", "db", "10.97.0");

        @Test
        @Order(1)
        void finishesItsSchedule() throws Exception {
            try (ScheduleRun run = net.schedule(Duration.ofMillis(100), Kind.CUT)) {
                SEEDS.put("finished", run.schedule().seed());
                run.awaitEnd(Duration.ofSeconds(10));
            }
        }

        @Test
        @Order(2)
        void leavesItsScheduleRunning() {
            SEEDS.put(
                    "running",
                    net.schedule(Duration.ofSeconds(30), Kind.PARTITION)
                            .schedule()
                            .seed());
        }

        @Test
        @Order(3)
        void fails() throws Exception {
            try (ScheduleRun run = net.schedule(Duration.ofMillis(100), Kind.CUT)) {
                SEEDS.put("own", run.schedule().seed());
                run.awaitEnd(Duration.ofSeconds(10));
            }
            throw new AssertionError("an order was lost");
        }
    }

    @Test
    void aFailedTestShowsItsOwnAndTheRunningSchedulesNotTheFinishedOnesOfEarlierTests() {
        SEEDS.clear();
        TestExecutionSummary s = FailureTest.run(Shared.class);
        assertThat(s.getFailures()).hasSize(1);
        String message = s.getFailures().get(0).getException().getMessage();
        assertThat(message)
                .startsWith("an order was lost")
                .contains("fault schedule, seed " + SEEDS.get("own") + ",")
                .contains("fault schedule, seed " + SEEDS.get("running") + ",")
                .doesNotContain("seed " + SEEDS.get("finished") + ",");
        assertThat(Shared.net.isRunning()).isFalse();
    }
}
