package io.github.netvirt.netns;

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
import org.junit.jupiter.api.Test;

/**
 * A task that closes the namespace it runs in: close() cannot end the thread it runs on, so it neither
 * interrupts nor waits for it, and still interrupts and waits for the other tasks inside.
 */
@RequiresRoot
class CloseFromInsideTest {
    @Test
    void aTaskClosingItsOwnNamespaceIsNotInterruptedNorWaitedFor() throws Exception {
        String name = "hG" + ProcessHandle.current().pid() % 100_000 + "-in";
        NetNamespace ns = NetNamespace.create(name);
        try {
            closeFromInside(ns, name);
        } finally {
            if (Files.exists(Path.of("/run/netns", name))) {
                NetNamespace.delete(name);
            }
        }
    }

    private static void closeFromInside(NetNamespace ns, String name) throws Exception {
        CountDownLatch otherInside = new CountDownLatch(1);
        Future<Boolean> other = ns.submit(() -> {
            otherInside.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                return false;
            } catch (InterruptedException e) {
                return true;
            }
        });
        otherInside.await();
        List<String> seen = new ArrayList<>();
        List<String> warnings = Warnings.during(() -> ns.run(() -> {
            ns.delete(); // closes it, then removes its name
            seen.add("interrupted " + Thread.currentThread().isInterrupted());
            seen.add("other task done " + other.isDone());
            seen.add("open " + ns.isOpen());
            seen.add("name left " + Files.exists(Path.of("/run/netns", name)));
        }));
        assertThat(seen).containsExactly("interrupted false", "other task done true", "open false", "name left false");
        assertThat(other.get()).isTrue();
        // waiting for itself, close() would have run out its 5 s and said so
        assertThat(warnings)
                .filteredOn(w -> w.contains("NetNamespace[" + name) && w.contains("still running after close()"))
                .isEmpty();
    }
}
