package io.github.netvirt.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The zero-allocation target judges netvirt's paths; the peers' allocations are reported, not judged. */
class WorstAllocationTest {

    /** As in a tap run of 2026-12-03: the raw-jna peer's reader allocated 344 B once, netvirt's paths nothing. */
    @Test
    void aPeersAllocationDoesNotDecideTheTarget() {
        WorstAllocation w = new WorstAllocation();
        w.add(RawTapPair.SYSTEM, 0, 224_920, 344, 224_920);
        w.add("c", -1, 0, -1, 0);
        w.add("netvirt-stream", 0, 229_592, 0, 228_184);
        w.add("netvirt-uring", 0, 214_144, 0, 214_167);
        assertThat(w.worst()).isZero();
        assertThat(w.judged()).isTrue();
    }

    @Test
    void withOnlyPeersThereIsNothingToJudge() {
        WorstAllocation w = new WorstAllocation();
        w.add(RawTapPair.SYSTEM, 0, 1000, 344, 1000);
        w.add("c", -1, 0, -1, 0);
        assertThat(w.judged()).isFalse();
    }

    @Test
    void anyThreadOfAnyNetvirtPathDecidesIt() {
        WorstAllocation w = new WorstAllocation();
        w.add("netvirt-stream", 0, 1000, 0, 1000);
        w.add("netvirt-bytebuffer", 64, 1000, 0, 1000);
        w.add("netvirt-uring", 0, 1000, 32, 1000);
        assertThat(w.worst()).isEqualTo(0.064);
    }

    @Test
    void aThreadThatWasNotMeasuredCountsAsNothing() {
        WorstAllocation w = new WorstAllocation();
        w.add("netvirt-stream", -1, 1000, 0, 0);
        assertThat(w.worst()).isZero();
    }
}
