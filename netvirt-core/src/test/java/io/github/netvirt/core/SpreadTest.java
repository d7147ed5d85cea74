package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Name deletions spread over threads: one per {@link Resources#DELETES_PER_THREAD}, all at once. */
class SpreadTest {

    @ParameterizedTest(name = "{0} deletions on {1} threads")
    @CsvSource({"0, 1", "3, 1", "31, 1", "32, 2", "101, 6", "1001, 62", "100000, 64"})
    void oneThreadPerSixteenDeletionsAtMostSixtyFour(int deletions, int threads) {
        assertThat(Resources.deleters(deletions)).isEqualTo(threads);
    }

    @Test
    void fewDeletionsRunOnTheCaller() {
        Set<Thread> on = ConcurrentHashMap.newKeySet();
        List<Runnable> deletes = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            deletes.add(() -> on.add(Thread.currentThread()));
        }
        Resources.spread(deletes);
        assertThat(on).containsExactly(Thread.currentThread());
    }

    /** The caller's deletions wait until another thread has failed one. */
    @Test
    void aFailureOnAnotherThreadIsThrownOnceEveryOtherDeletionIsDone() {
        Thread caller = Thread.currentThread();
        AtomicBoolean failed = new AtomicBoolean();
        CountDownLatch failedOne = new CountDownLatch(1);
        AtomicInteger done = new AtomicInteger();
        List<Runnable> deletes = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            deletes.add(() -> {
                if (Thread.currentThread() == caller) {
                    try {
                        assertThat(failedOne.await(10, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                } else if (!failed.getAndSet(true)) {
                    failedOne.countDown();
                    throw new IllegalStateException("refused");
                }
                done.incrementAndGet();
            });
        }
        assertThatThrownBy(() -> Resources.spread(deletes))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("refused");
        assertThat(done).hasValue(63);
    }

    /** The first deletions wait for each other: they return only if that many threads run them at once. */
    @Test
    void manyDeletionsRunOnceEachOnThatManyThreadsAtOnce() {
        int n = 64;
        int threads = Resources.deleters(n);
        CountDownLatch together = new CountDownLatch(threads);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Set<Thread> on = ConcurrentHashMap.newKeySet();
        List<Runnable> deletes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            deletes.add(() -> {
                on.add(Thread.currentThread());
                if (started.getAndIncrement() < threads) {
                    together.countDown();
                    try {
                        assertThat(together.await(10, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
                done.incrementAndGet();
            });
        }
        Resources.spread(deletes);
        assertThat(done).hasValue(n);
        assertThat(on).hasSize(threads).contains(Thread.currentThread());
    }
}
