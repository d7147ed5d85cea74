package io.github.netvirt.netns.testing;

import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code count} of netvirt's switching threads kept busy until {@link #release}, each inside the JVM's
 * own namespace (none seen outside it): other work waits in their queue. Closing releases them and
 * waits for them.
 */
public final class BusyThreads implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService callers;
    private final NetNamespace root = NetNamespace.root();
    private final List<Future<Object>> holds = new ArrayList<>();

    public BusyThreads(int count) throws InterruptedException {
        callers = Executors.newFixedThreadPool(count);
        CountDownLatch holding = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            holds.add(callers.submit(() -> root.inside(() -> {
                holding.countDown();
                release.await();
                return null;
            })));
        }
        holding.await();
    }

    public void release() {
        release.countDown();
    }

    @Override
    public void close() throws Exception {
        release();
        try {
            for (Future<Object> h : holds) {
                h.get();
            }
        } finally {
            callers.shutdown();
            root.close();
        }
    }
}
