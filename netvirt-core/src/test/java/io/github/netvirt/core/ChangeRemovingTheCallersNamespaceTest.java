package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Code running inside one of a topology's namespaces ({@code NetNamespace.call}) that calls the
 * topology while a change that removes that namespace is applied. The change closes the namespace's
 * handle, which interrupts that code and waits for it (up to 5 s), holding the topology meanwhile: a
 * live call made from there has to give up at once, while the change still runs, rather than wait
 * for the change to let go of the topology.
 */
@RequiresRoot
class ChangeRemovingTheCallersNamespaceTest {
    private static final String PREFIX = "hK" + ProcessHandle.current().pid() % 100_000 + "cr-";

    @Test
    void aLiveCallFromInsideTheRemovedNamespaceGivesUpWhileTheChangeRuns() throws Exception {
        try (Topology t = Topology.create()
                .prefix(PREFIX)
                .ns("a")
                .veth("e0", "b", "e0")
                .addr("10.0.4.1/24")
                .ns("b")
                .dev("e0")
                .addr("10.0.4.2/24")
                .ns("c")
                .apply()) {
            CountDownLatch inside = new CountDownLatch(1);
            AtomicReference<Throwable> refused = new AtomicReference<>();
            AtomicReference<Long> refusedAt = new AtomicReference<>();
            Thread task = new Thread(
                    () -> {
                        try {
                            t.namespace("c").call(() -> {
                                inside.countDown();
                                try {
                                    while (true) {
                                        t.link("a", "e0");
                                    }
                                } catch (IllegalStateException e) {
                                    refusedAt.set(System.nanoTime());
                                    throw e;
                                }
                            });
                        } catch (Throwable e) {
                            refused.set(e);
                        }
                    },
                    "inside-c");
            task.start();
            inside.await();
            t.change().removeNamespace("c").apply();
            long changed = System.nanoTime();
            task.join(30_000);
            assertThat(task.isAlive()).isFalse();
            assertThat(refused.get())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("namespace it runs in");
            // before the fix the call waited for the change's write lock, deaf to the interrupt, and
            // the change for the call: 5 s, then the call went on in the removed namespace
            assertThat(refusedAt.get()).as("refused before the change returned").isLessThan(changed);
            assertThatThrownBy(() -> t.namespace("c")).isInstanceOf(java.util.NoSuchElementException.class);
            assertThat(t.link("a", "e0").isUp()).isTrue();
        }
    }
}
