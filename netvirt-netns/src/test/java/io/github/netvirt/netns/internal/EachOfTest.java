package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EachOfTest {
    @Test
    void releaseReachesEveryItemAndThrowsTheFirstFailureWithTheLaterSuppressed() {
        List<Integer> released = new ArrayList<>();
        Throwable t = catchThrowable(() -> EachOf.release(List.of(1, 2, 3), i -> {
            released.add(i);
            if (i != 2) {
                throw new IllegalStateException("failed " + i);
            }
        }));
        assertThat(released).containsExactly(1, 2, 3);
        assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("failed 1");
        assertThat(t.getSuppressed())
                .singleElement()
                .satisfies(s -> assertThat(s).hasMessage("failed 3"));
    }

    @Test
    void throwFirstReturnsWithoutFailures() {
        assertThatCode(() -> EachOf.throwFirst(List.of())).doesNotThrowAnyException();
    }
}
