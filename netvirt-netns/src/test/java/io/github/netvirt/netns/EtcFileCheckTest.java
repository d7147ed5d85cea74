package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** An /etc file's content is at most 64 KiB of UTF-8, however many chars that is. */
class EtcFileCheckTest {
    private static final int LIMIT = 64 * 1024;

    @Test
    void asciiUpToTheLimit() {
        assertThatCode(() -> ProcessMounts.check("hosts", "a".repeat(LIMIT))).doesNotThrowAnyException();
        assertThatThrownBy(() -> ProcessMounts.check("hosts", "a".repeat(LIMIT + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 64 KiB");
    }

    @Test
    void threeByteCharsCountThreeTimes() {
        assertThatCode(() -> ProcessMounts.check("hosts", "\u20ac".repeat(LIMIT / 3)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> ProcessMounts.check("hosts", "\u20ac".repeat(LIMIT / 3 + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 64 KiB");
    }

    @Test
    void fewerCharsThanTheLimitCanStillBeTooManyBytes() {
        String s = "a".repeat(LIMIT / 3) + "\u20ac".repeat(LIMIT / 3);
        assertThatThrownBy(() -> ProcessMounts.check("hosts", s)).isInstanceOf(IllegalArgumentException.class);
    }
}
