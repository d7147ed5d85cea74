package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KernelTest {
    @Test
    void netRxSoftirqsAreReadFromProcStatAndOnlyGrow() {
        long first = Kernel.netRxSoftirqs();
        assertThat(first).isNotNegative();
        assertThat(Kernel.netRxSoftirqs()).isGreaterThanOrEqualTo(first);
    }

    @Test
    void awaitQuietStopsAtItsCap() throws InterruptedException {
        // whatever the kernel is doing, the wait ends by the cap (one window past it at most)
        assertThat(Kernel.awaitQuiet(0)).isLessThan(Kernel.QUIET_WINDOW_MILLIS + 500);
    }
}
