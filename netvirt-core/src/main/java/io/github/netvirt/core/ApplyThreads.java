package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
}
