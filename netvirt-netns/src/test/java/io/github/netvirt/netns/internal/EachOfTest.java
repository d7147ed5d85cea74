package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Releasing each of several items whatever the others do: pure logic, no root. */
class EachOfTest {

    private static void failOnOdd(int i, List<Integer> released) {
        released.add(i);
        if (i % 2 == 1) {
            throw new IllegalStateException("item " + i);
        }
    }

    @Test
    void releaseAllReleasesEveryItemAndReturnsTheFailuresInOrder() {
        List<Integer> released = new ArrayList<>();
        List<RuntimeException> errors = EachOf.releaseAll(List.of(0, 1, 2, 3, 4), i -> failOnOdd(i, released));
        assertThat(released).containsExactly(0, 1, 2, 3, 4);
        assertThat(errors).extracting(Throwable::getMessage).containsExactly("item 1", "item 3");
    }

    @Test
    void throwFirstThrowsTheFirstWithTheLaterOnesSuppressed() {
        RuntimeException a = new IllegalStateException("a");
        RuntimeException b = new IllegalArgumentException("b");
        RuntimeException c = new UnsupportedOperationException("c");
        RuntimeException thrown = catchRuntimeException(() -> EachOf.throwFirst(new ArrayList<>(List.of(a, b, c))));
        assertThat(thrown).isSameAs(a);
        assertThat(thrown.getSuppressed()).containsExactly(b, c);
        assertThatNoException().isThrownBy(() -> EachOf.throwFirst(List.of()));
    }

    @Test
    void releaseReleasesEveryItemThenThrowsTheFirstFailure() {
        List<Integer> released = new ArrayList<>();
        RuntimeException thrown =
                catchRuntimeException(() -> EachOf.release(List.of(1, 2, 3), i -> failOnOdd(i, released)));
        assertThat(released).containsExactly(1, 2, 3);
        assertThat(thrown).hasMessage("item 1");
        assertThat(thrown.getSuppressed()).extracting(Throwable::getMessage).containsExactly("item 3");
        assertThatNoException().isThrownBy(() -> EachOf.release(List.of(0, 2), i -> failOnOdd(i, released)));
    }
}
