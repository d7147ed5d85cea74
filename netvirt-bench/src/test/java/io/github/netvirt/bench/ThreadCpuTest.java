package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.bench.ThreadCpu.Between;
import io.github.netvirt.bench.ThreadCpu.Role;
import io.github.netvirt.bench.ThreadCpu.Times;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Thread roles, schedstat lines, differences of samples, and this JVM's own threads read from /proc (no root needed). */
class ThreadCpuTest {
    @Test
    void theCallerTheCompilerAndTheRest() {
        assertThat(ThreadCpu.role("41", "java", "41")).isEqualTo(Role.CALLER);
        assertThat(ThreadCpu.role("42", "C1 CompilerThre", "41")).isEqualTo(Role.COMPILER);
        assertThat(ThreadCpu.role("43", "C2 CompilerThre", "41")).isEqualTo(Role.COMPILER);
        assertThat(ThreadCpu.role("44", "netvirt-switch-", "41")).isEqualTo(Role.OTHER);
        assertThat(ThreadCpu.role("45", "GC Thread#0", "41")).isEqualTo(Role.OTHER);
    }

    @Test
    void aSchedstatLineIsTimeOnACpuThenTimeWaitingForOne() {
        assertThat(ThreadCpu.schedstat("123456789 2000 17\n")).containsExactly(123456789L, 2000L);
        assertThatThrownBy(() -> ThreadCpu.schedstat("12")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aThreadBornBetweenSamplesCountsWholeOneThatEndedCountsNothing() {
        Map<String, Times> earlier = Map.of(
                "1", new Times(Role.CALLER, 100, 10),
                "2", new Times(Role.OTHER, 500, 50),
                "3", new Times(Role.OTHER, 900, 90));
        Map<String, Times> later = Map.of(
                "1", new Times(Role.CALLER, 160, 15),
                "2", new Times(Role.OTHER, 520, 51),
                "4", new Times(Role.COMPILER, 30, 3));
        Between d = Between.of(earlier, later);
        assertThat(d.run()).containsExactly(60, 30, 20);
        assertThat(d.waited()).containsExactly(5, 3, 1);
    }

    @Test
    void workIsChargedToTheThreadThatDidIt() throws Exception {
        String me = ThreadCpu.callerTid();
        Map<String, Times> before = ThreadCpu.before(me);
        spin(50);
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch sampled = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            spin(50);
            spun.countDown();
            try {
                sampled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        spun.await();
        Map<String, Times> after = ThreadCpu.after(me);
        sampled.countDown();
        other.join();
        Between d = Between.of(before, after);
        assertThat(d.runMillis(Role.CALLER)).isGreaterThanOrEqualTo(50);
        assertThat(d.runMillis(Role.OTHER)).isGreaterThanOrEqualTo(45);
        assertThat(d.waitedMillis(Role.CALLER)).isNotNegative();
    }

    /** Runs until the calling thread has had {@code millis} of CPU, however loaded the machine. */
    private static void spin(long millis) {
        double end = ProcessCpu.threadNanos() + millis * 1e6;
        while (ProcessCpu.threadNanos() < end) {
            Thread.onSpinWait();
        }
    }
}
