package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A schedule's run catches what a fault's start or heal throws only if it is a RuntimeException: an
 * Error (an AssertionError of a custom fault's function, a NoClassDefFoundError) ends the run's
 * thread. The rest of the timeline is skipped, {@link ScheduleRun#awaitEnd} says it ended, the log
 * has no line for it, and {@link ScheduleRun#close()} returns as if all went well. No root: a custom
 * fault needs no namespace.
 */
class ScheduleFaultThrowingAnErrorTest {

    @Test
    void anErrorOfACustomFaultIsReportedByClose() throws Exception {
        FaultSchedule schedule = FaultSchedule.over(List.of(), List.of())
                .length(Duration.ofMillis(50))
                .faults(1)
                .fault("boom", hosts -> {
                    throw new AssertionError("boom");
                })
                .plan(1);
        ScheduleRun run = schedule.start(Map.of());
        assertThat(run.awaitEnd(Duration.ofSeconds(30))).isTrue();
        assertThatThrownBy(run::close).hasStackTraceContaining("boom");
        assertThat(run.log()).anySatisfy(line -> assertThat(line).contains("boom FAILED"));
    }
}
