package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Await;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that close runs part of its work on (name deletions, {@link Resources#spread}), from the
 * JVM's namespace: as many as there are such parts at once, each kept 30 s after its last use.
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
