package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The median's distribution-free interval: order statistics whose binomial coverage reaches the confidence. */
class StatsTest {
    @Test
    void fifteenSamplesGiveTheFourthToTheTwelfthSmallest() {
        Stats s = new Stats();
        for (int i = 15; i >= 1; i--) {
            s.add(i);
        }
        Stats.MedianInterval m = s.medianInterval(0.95);
        // 1 - 2 P(B(15, 1/2) <= 3) = 1 - 2 * 576 / 32768; the 5th to the 11th would hold it with 0.8815 only
        assertThat(m.from()).isEqualTo(4);
        assertThat(m.to()).isEqualTo(12);
        assertThat(m.low()).isEqualTo(4);
        assertThat(m.high()).isEqualTo(12);
        assertThat(m.confidence()).isCloseTo(1 - 2 * 576.0 / 32768, within(1e-12));
    }

    @Test
    void tooFewSamplesGiveTheirWholeRangeWithTheConfidenceItHas() {
        Stats s = new Stats();
        s.add(3);
        s.add(1);
        s.add(2);
        Stats.MedianInterval m = s.medianInterval(0.95);
        assertThat(m.low()).isEqualTo(1);
        assertThat(m.high()).isEqualTo(3);
        assertThat(m.confidence()).isEqualTo(0.75);
        Stats one = new Stats();
        one.add(7);
        assertThat(one.medianInterval(0.95).confidence()).isZero();
    }
}
