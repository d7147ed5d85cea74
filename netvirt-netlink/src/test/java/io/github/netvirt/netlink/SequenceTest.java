package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Sequence numbers: never 0, consecutive inside a reserved run, across both 32-bit wraps. */
class SequenceTest {

    @Test
    void aRunThatWouldPassZeroStartsAtOne() {
        Sequence s = new Sequence(-3); // 0xfffffffd
        s.reserve(5);
        int first = s.next();
        assertThat(first).isEqualTo(1);
        for (int k = 1; k < 5; k++) {
            assertThat(s.next() - first).isEqualTo(k);
        }
    }

    @Test
    void aRunThatEndsAtTheTopIsKept() {
        Sequence s = new Sequence(-4);
        s.reserve(3);
        assertThat(s.next()).isEqualTo(-3);
        assertThat(s.next()).isEqualTo(-2);
        assertThat(s.next()).isEqualTo(-1);
        assertThat(s.next()).as("0 is never used").isEqualTo(1);
    }

    @Test
    void theSignedWrapNeedsNoSkip() {
        Sequence s = new Sequence(Integer.MAX_VALUE - 2);
        s.reserve(6);
        int first = s.next();
        assertThat(first).isEqualTo(Integer.MAX_VALUE - 1);
        for (int k = 1; k < 6; k++) {
            int n = s.next();
            assertThat(n - first).as("offset of the %d-th", k).isEqualTo(k);
        }
    }

    @Test
    void ungetGivesTheSameNumberAgain() {
        Sequence s = new Sequence(-1);
        s.reserve(1);
        assertThat(s.next()).isEqualTo(1);
        s.unget();
        assertThat(s.next()).isEqualTo(1);
        assertThat(s.next()).isEqualTo(2);
    }
}
