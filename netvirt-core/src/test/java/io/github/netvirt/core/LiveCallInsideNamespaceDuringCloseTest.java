package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Code running inside one of a topology's namespaces ({@code NetNamespace.call}) that calls the
 * topology while another thread closes it. close() interrupts that code and waits for it (up to 5 s);
 * a live call made meanwhile has to give up at once with {@code IllegalStateException("topology is
 * closed")}, while close() still runs, rather than wait for close() to let go of the topology.
 */
@RequiresRoot
class LiveCallInsideNamespaceDuringCloseTest {
    private static final String PREFIX = "hG" + ProcessHandle.current().pid() % 100_000 + "lc-";

    @Test
    void aLiveCallFromInsideIsRefusedWhileCloseWaitsForIt() throws Exception {
        Topology t = Topology.create()
                .prefix(PREFIX)
                .ns("a")
                .veth("e0", "b", "e0")
                .addr("10.0.3.1/24")
                .ns("b")
                .dev("e0")
                .addr("10.0.3.2/24")
                .apply();
        CountDownLatch inside = new CountDownLatch(1);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        AtomicReference<String> closeThen = new AtomicReference<>();
        Thread task = new Thread(
                () -> {
                    try {
                        t.namespace("a").call(() -> {
                            inside.countDown();
                            try {
                                while (true) {
                                    t.link("a", "e0");
                                }
                            } catch (IllegalStateException e) {
                                refused.set(e);
                                // closeTime() answers only once close() has finished
                                try {
                                    closeThen.set("close() had finished, in "
                                            + t.closeTime().toMillis() + " ms");
                                } catch (IllegalStateException notYet) {
                                    closeThen.set("close() still running");
                                }
                                throw e;
                            }
                        });
                    } catch (Throwable e) {
                        refused.compareAndSet(null, e);
                    }
                },
                "inside-a");
        task.start();
        inside.await();
        t.close();
        task.join(30_000);
        assertThat(task.isAlive()).isFalse();
        assertThat(refused.get()).isInstanceOf(IllegalStateException.class).hasMessage("topology is closed");
        // before the fix the call waited for close()'s write lock, uninterruptibly, and close() for the
        // call: 5 s, then the call was refused once close() had finished
        assertThat(closeThen.get()).isEqualTo("close() still running");
        assertThat(t.isOpen()).isFalse();
    }
}
