package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Work split in two halves, one on the caller and one on a pool thread. */
class ApplyThreadsTest {

    @Test
    void everyItemIsDoneOnceAndTheFirstHalfOnTheCaller() {
        List<Integer> items = List.of(1, 2, 3, 4, 5);
        List<Integer> done = Collections.synchronizedList(new ArrayList<>());
        Set<Thread> firstHalf = ConcurrentHashMap.newKeySet();
        Set<Thread> secondHalf = ConcurrentHashMap.newKeySet();
        ApplyThreads.inHalves(items, part -> {
            (part.contains(1) ? firstHalf : secondHalf).add(Thread.currentThread());
            done.addAll(part);
        });
        assertThat(done).containsExactlyInAnyOrderElementsOf(items);
        assertThat(firstHalf).containsExactly(Thread.currentThread());
        assertThat(secondHalf).hasSize(1).doesNotContain(Thread.currentThread());
    }

    @Test
    void oneItemIsDoneOnTheCaller() {
        List<Thread> on = new ArrayList<>();
        ApplyThreads.inHalves(List.of("only"), part -> on.add(Thread.currentThread()));
        assertThat(on).containsExactly(Thread.currentThread());
    }

    @Test
    void whenBothHalvesFailTheFirstIsThrownWithTheSecondSuppressed() {
        assertThatThrownBy(() -> ApplyThreads.inHalves(List.of("a", "b"), part -> {
                    throw new IllegalStateException("failed " + part.get(0));
                }))
                .hasMessage("failed a")
                .satisfies(e -> assertThat(e.getSuppressed())
                        .singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("failed b")));
    }

    @Test
    void aFailureOfTheSecondHalfAloneIsThrownAfterTheFirstIsDone() {
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        assertThatThrownBy(() -> ApplyThreads.inHalves(List.of("a", "b"), part -> {
                    if (part.contains("b")) {
                        throw new IllegalArgumentException("failed b");
                    }
                    done.addAll(part);
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failed b");
        assertThat(done).containsExactly("a");
    }

    @Test
    void aCheckedExceptionThrownPastTheCompilerIsNotLost() {
        assertThatThrownBy(() -> ApplyThreads.inHalves(List.of("a", "b"), part -> {
                    if (part.contains("b")) {
                        sneaky(new IOException("failed b"));
                    }
                }))
                .isInstanceOf(UndeclaredThrowableException.class)
                .hasRootCauseMessage("failed b");
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
