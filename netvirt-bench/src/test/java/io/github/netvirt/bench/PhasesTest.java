package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

/** Phases kept per run: one phase's median, several phases' median taken together run by run. */
class PhasesTest {
    private static final long MS = 1_000_000;

    /** Runs of phase a then b, {@code {a, b}} ms each, b marked twice (the halves summed in the run). */
    private static Phases runs(long[]... runs) {
        Phases p = new Phases();
        for (long[] run : runs) {
            long t = 0;
            p.start(t);
            p.mark("a", t += run[0] * MS);
            p.mark("b", t += run[1] * MS / 2);
            p.mark("b", t += run[1] * MS / 2);
            p.keep();
        }
        return p;
    }

    @Test
    void severalPhasesTogetherAreTheMedianOfTheirSumRunByRun() {
        Phases p = runs(new long[] {2, 10}, new long[] {10, 2}, new long[] {5, 4});
        assertThat(p.median("a")).isEqualTo(5.0);
        assertThat(p.median("b")).isEqualTo(4.0);
        // sums 12, 12, 9: not the sum of the medians (9)
        assertThat(p.median("a", "b")).isEqualTo(12.0);
        assertThat(p.median("a", "missing")).isEqualTo(5.0);
        assertThat(p.median("missing")).isNaN();
        assertThat(p.medians()).containsExactly(entry("a", 5.0), entry("b", 4.0));
    }
}
