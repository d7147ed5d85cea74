package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.Warnings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * close() called by code running inside one of the topology's namespaces ({@code NetNamespace.call}):
 * it cannot end the thread it runs on, so it neither interrupts nor waits for that task; it still
 * interrupts and waits for the others, and removes the rest.
 */
@RequiresRoot
class CloseFromInsideOwnNamespaceTest {
    private static final String PREFIX = "hG" + ProcessHandle.current().pid() % 100_000 + "ci-";

    private static Topology apply(String tag) {
        return Topology.create()
                .prefix(PREFIX + tag)
                .ns("a")
                .veth("e0", "b", "e0")
                .addr("10.0.3.1/24")
                .ns("b")
                .dev("e0")
                .addr("10.0.3.2/24")
                .apply();
    }

    @Test
    void closeFromInsideItsOwnNamespaceWaitsForTheOtherTasksOnly() throws Exception {
        Topology t = apply("s");
        String name = t.namespace("a").name().orElseThrow();
        CountDownLatch otherInside = new CountDownLatch(1);
        Future<Boolean> other = t.namespace("a").submit(() -> {
            otherInside.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                return false;
            } catch (InterruptedException e) {
                return true; // close() interrupted it
            }
        });
        otherInside.await();
        List<String> seen = new ArrayList<>();
        List<String> warnings = Warnings.during(() -> t.namespace("a").run(() -> {
            t.close();
            // still inside, after close() returned
            seen.add("interrupted " + Thread.currentThread().isInterrupted());
            seen.add("other task done " + other.isDone());
            seen.add("name left " + Files.exists(Path.of("/run/netns", name)));
            seen.add("open " + t.isOpen());
        }));
        assertThat(seen).containsExactly("interrupted false", "other task done true", "name left false", "open false");
        assertThat(other.get()).isTrue();
        // before the fix close() interrupted its own task, then waited for it until its 5 s ran out
        assertThat(warnings)
                .filteredOn(w -> w.contains(name) && w.contains("still running after close()"))
                .isEmpty();
        t.closeTime(); // finished
    }

    @Test
    void aCloseFromInsideThatAnotherCloseWaitsForReturnsAtOnce() throws Exception {
        Topology t = apply("c");
        CountDownLatch inside = new CountDownLatch(1);
        AtomicReference<String> secondClose = new AtomicReference<>();
        Thread task = new Thread(
                () -> {
                    try {
                        t.namespace("a").call(() -> {
                            inside.countDown();
                            try {
                                while (true) {
                                    t.link("a", "e0");
                                }
                            } catch (IllegalStateException refused) {
                                t.close(); // the first close() waits for this task
                                try {
                                    secondClose.set("returned once the first finished, in "
                                            + t.closeTime().toMillis() + " ms");
                                } catch (IllegalStateException notYet) {
                                    secondClose.set("returned while the first runs, interrupted "
                                            + Thread.currentThread().isInterrupted());
                                }
                            }
                            return null;
                        });
                    } catch (Exception e) {
                        secondClose.compareAndSet(null, e.toString());
                    }
                },
                "inside-a");
        task.start();
        inside.await();
        t.close();
        task.join(TimeUnit.MINUTES.toMillis(1));
        assertThat(task.isAlive()).isFalse();
        assertThat(secondClose.get()).isEqualTo("returned while the first runs, interrupted true");
        assertThat(t.isOpen()).isFalse();
    }

    @Test
    void anInterruptOfAnOpenTopologysCallerIsKeptNotTakenForAClose() throws Exception {
        try (Topology t = apply("i")) {
            Thread.currentThread().interrupt();
            try {
                assertThat(t.namespace("a").isOpen()).isTrue();
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
        }
    }
}
