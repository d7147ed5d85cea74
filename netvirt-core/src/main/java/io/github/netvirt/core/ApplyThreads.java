package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Await;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Threads that apply and close run part of their work on (a second half of the namespaces, name
 * deletions), from the JVM's namespace: as many as there are such parts at once, each kept 30 s
 * after its last use. Starting a thread per apply cost about what splitting the work saved.
 */
final class ApplyThreads {
    private static final AtomicInteger MADE = new AtomicInteger();
    private static final ThreadPoolExecutor POOL = new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> NetNamespace.jvmThread(r, "netvirt-apply-" + MADE.incrementAndGet()));

    private ApplyThreads() {}

    static Future<?> submit(Runnable task) {
        return POOL.submit(task);
    }

    /**
     * Runs {@code work} on the first half of {@code items} on the calling thread and on the second
     * half on a thread of the pool at once (one part, on the caller, when there are fewer than two
     * items); returns when both are done. A failure of the first half is thrown, else one of the
     * second; when both fail, the second's is suppressed in the first's.
     */
    static <T> void inHalves(List<T> items, Consumer<List<T>> work) {
        if (items.size() < 2) {
            work.accept(items);
            return;
        }
        int half = items.size() / 2;
        Future<?> second = submit(() -> work.accept(items.subList(half, items.size())));
        Throwable failure = null;
        try {
            work.accept(items.subList(0, half));
        } catch (Throwable e) { // also what a lambda throws past the compiler: the second half is awaited first
            failure = e;
        }
        rethrow(joined(failure, second));
    }

    /**
     * Waits for {@code helper} (uninterruptibly) and returns {@code failure} with what the helper
     * threw: that alone when {@code failure} is null, else suppressed in {@code failure}.
     */
    static Throwable joined(Throwable failure, Future<?> helper) {
        try {
            Await.uninterruptibly(helper);
            return failure;
        } catch (ExecutionException e) {
            if (failure == null) {
                return e.getCause();
            }
            failure.addSuppressed(e.getCause());
            return failure;
        }
    }

    /** Throws {@code failure} as it is when unchecked, else in an UndeclaredThrowableException; nothing for null. */
    static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error r) {
            throw r;
        }
        if (failure != null) {
            throw new UndeclaredThrowableException(failure);
        }
    }
}
