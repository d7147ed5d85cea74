package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RequireTest {
    @Test
    void inRangeLetsTheBoundsThroughAndNamesWhatIsOutside() {
        assertThat(Require.inRange(0, 0, 255, "TTL")).isZero();
        assertThat(Require.inRange(255, 0, 255, "TTL")).isEqualTo(255);
        assertThatThrownBy(() -> Require.inRange(256, 0, 255, "TTL"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("TTL out of 0..255: 256");
        assertThatThrownBy(() -> Require.inRange(-1, 0, 255, "TTL")).hasMessage("TTL out of 0..255: -1");
    }

    @Test
    void positiveAndNonNegative() {
        assertThat(Require.positive(1, "limit")).isEqualTo(1);
        assertThatThrownBy(() -> Require.positive(0, "limit"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("limit must be positive: 0");
        assertThat(Require.nonNegative(0, "txqueuelen")).isZero();
        assertThatThrownBy(() -> Require.nonNegative(-1, "txqueuelen"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("txqueuelen must be >= 0: -1");
    }
}
