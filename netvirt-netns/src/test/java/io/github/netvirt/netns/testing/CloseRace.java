package io.github.netvirt.netns.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjIntConsumer;
import java.util.function.Predicate;

/**
 * Calls on a live object racing its {@code close()}: in each round {@code callers} threads call
 * {@code call(target, i)} with i = 0, 1, 2, ... (shifted by the caller's number) until a call throws,
 * while the test thread closes the target after a random pause of up to 1 ms. Asserts that every call
 * either completed or threw the {@link IllegalStateException} that {@code refusal} recognises, that
 * every caller met the closed target, and that the callers stop.
 */
public final class CloseRace {
    private CloseRace() {}

    public static <T extends AutoCloseable> void run(
            int rounds, int callers, Callable<T> open, ObjIntConsumer<T> call, Predicate<String> refusal)
            throws Exception {
        ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        for (int round = 0; round < rounds; round++) {
            T target = open.call();
            CountDownLatch started = new CountDownLatch(callers);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int me = c;
                Thread th = new Thread(
                        () -> {
                            started.countDown();
                            for (int i = me; ; i++) {
                                try {
                                    call.accept(target, i);
                                    completed.incrementAndGet();
                                } catch (IllegalStateException e) {
                                    if (e.getMessage() != null && refusal.test(e.getMessage())) {
                                        refused.incrementAndGet();
                                    } else {
                                        wrong.add(e);
                                    }
                                    return;
                                } catch (RuntimeException e) {
                                    wrong.add(e);
                                    return;
                                }
                            }
                        },
                        "close-race-" + c);
                th.start();
                threads.add(th);
            }
            started.await();
            Thread.sleep(0, ThreadLocalRandom.current().nextInt(1_000_000));
            target.close();
            for (Thread th : threads) {
                th.join(10_000);
                assertThat(th.isAlive())
                        .as("caller still running 10 s after close")
                        .isFalse();
            }
        }
        assertThat(wrong)
                .as("other failures, of %d calls", completed.get() + refused.get())
                .isEmpty();
        assertThat(refused.get()).as("calls that met the closed target").isEqualTo(rounds * callers);
        assertThat(completed.get()).isPositive();
    }
}
