package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The lending base on its own (no kernel): a null owner lends nothing; only the owner's close reaches the hook. */
class LendableTest {
    /** Counts how often the base asks it to release. */
    private static final class Counted extends Lendable {
        int released;

        @Override
        protected void implClose() {
            released++;
        }

        @Override
        public String toString() {
            return "Counted";
        }
    }

    @Test
    void aNullOwnerLendsNothingAndOnlyTheOwnersCloseReleases() {
        Counted c = new Counted();
        assertThatThrownBy(() -> c.lend(null)).isInstanceOf(NullPointerException.class);
        assertThat(c.isLent()).isFalse();

        Object owner = new Object();
        c.lend(owner);
        c.close();
        assertThatThrownBy(() -> c.close(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Counted is lent out by its owner, who alone may close it");
        assertThat(c.released).isZero();
        c.close(owner);
        assertThat(c.released).isEqualTo(1);
    }
}
