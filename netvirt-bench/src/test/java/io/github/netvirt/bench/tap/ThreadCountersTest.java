package io.github.netvirt.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The calling thread's counters come from /proc/thread-self and move with what the thread does. */
class ThreadCountersTest {
    @Test
    void writesAreCountedForTheCallingThread() throws IOException {
        ThreadCounters before = ThreadCounters.now();
        assertThat(before).isNotEqualTo(ThreadCounters.NONE);
        assertThat(before.syscr()).isNotNegative();
        assertThat(before.sleeps()).isNotNegative();
        assertThat(before.preempted()).isNotNegative();
        try (FileOutputStream out = new FileOutputStream("/dev/null")) {
            for (int i = 0; i < 10; i++) {
                out.write(i);
            }
        }
        ThreadCounters d = ThreadCounters.now().since(before);
        assertThat(d.syscw()).isGreaterThanOrEqualTo(10);
        assertThat(d.waitNanos()).isNotNegative();
    }
}
