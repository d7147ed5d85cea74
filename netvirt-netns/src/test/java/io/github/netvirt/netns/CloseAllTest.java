package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing many namespaces at once (a topology) interrupts the tasks running inside all of them
 * before it waits for any: their waits overlap, and close() is bounded by one wait, not one per
 * namespace.
 */
@RequiresRoot
class CloseAllTest {
    @Test
    void closeAllInterruptsEveryNamespacesTaskBeforeWaitingForAny() throws Exception {
        int n = 3;
        List<NetNamespace> namespaces = new ArrayList<>();
        List<String> events = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(n);
        List<Future<String>> tasks = new ArrayList<>();
        Object owner = new Object();
        try {
            for (int i = 0; i < n; i++) {
                NetNamespace ns = NetNamespace.ephemeral();
                namespaces.add(ns);
                String name = "task" + i;
                tasks.add(ns.submit(() -> {
                    started.countDown();
                    try {
                        Thread.sleep(TimeUnit.MINUTES.toMillis(1));
                    } catch (InterruptedException e) {
                        synchronized (events) {
                            events.add("interrupted " + name);
                        }
                    }
                    // ends a while after its interrupt, as a blocking read that ignores it would
                    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
                    while (System.nanoTime() - end < 0) {
                        try {
                            Thread.sleep(10);
                        } catch (InterruptedException ignored) {
                            // still busy
                        }
                    }
                    synchronized (events) {
                        events.add("finished " + name);
                    }
                    return name;
                }));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            NetNamespace.closeAll(namespaces, owner);
        } finally {
            namespaces.forEach(NetNamespace::close);
        }
        for (Future<String> t : tasks) {
            assertThat(t.isDone()).as("close() waited for the task").isTrue();
        }
        synchronized (events) {
            assertThat(events).hasSize(2 * n);
            assertThat(events.subList(0, n))
                    .as("every task interrupted before any ended: %s", events)
                    .allMatch(e -> e.startsWith("interrupted "));
        }
    }
}
