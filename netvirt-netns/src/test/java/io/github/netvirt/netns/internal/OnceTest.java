package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OnceTest {
    @Test
    void refusesEverythingAfterTheStep() {
        Once once = new Once("batch already executed");
        assertThatCode(once::checkNotDone).doesNotThrowAnyException();
        once.done();
        assertThatThrownBy(once::checkNotDone)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("batch already executed");
        assertThatThrownBy(once::done).isInstanceOf(IllegalStateException.class).hasMessage("batch already executed");
    }
}
