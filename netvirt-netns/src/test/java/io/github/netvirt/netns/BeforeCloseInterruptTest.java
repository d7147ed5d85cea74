package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A {@link NetNamespace#beforeClose} action that waits for its own work inside a namespace (a task in
 * another namespace through {@link NetNamespace#call}, a command through {@link NetNamespace#exec}) is ended by an
 * interrupt of the closing thread, as it is outside a close: the interrupt reaches the task, ends the
 * command. Holding it back for the close's end would leave a close (and a test framework's timeout
 * that interrupts it) waiting for ever on a task that waits for an interrupt.
 */
@RequiresRoot
class BeforeCloseInterruptTest {

    private static void closeAndInterrupt(NetNamespace ns, CountDownLatch started, CountDownLatch release)
            throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        boolean[] flag = new boolean[1];
        Thread closer = new Thread(() -> {
            try {
                ns.close();
            } catch (Throwable t) {
                thrown.set(t);
            }
            flag[0] = Thread.currentThread().isInterrupted();
        });
        closer.start();
        try {
            assertThat(started.await(10, TimeUnit.SECONDS))
                    .as("started; thrown: %s", thrown)
                    .isTrue();
            Thread.sleep(200); // the closing thread waits for the task now
            closer.interrupt();
            closer.join(10_000);
            assertThat(closer.isAlive())
                    .as("the close still waits for the action 10 s after its interrupt")
                    .isFalse();
            assertThat(thrown.get()).as("the action's failure").hasMessage("interrupted");
            assertThat(flag[0])
                    .as("the interrupt, set again when the close is done")
                    .isTrue();
        } finally {
            if (closer.isAlive()) { // let the task end, and the close with it
                release.countDown();
                closer.join();
            }
        }
    }

    @Test
    void anInterruptOfTheClosingThreadReachesATaskAnActionWaitsFor() throws Exception {
        NetNamespace ns = NetNamespace.ephemeral();
        NetNamespace other = NetNamespace.ephemeral();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ns.beforeClose(() -> other.run(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
        }));
        try {
            closeAndInterrupt(ns, started, release);
        } finally {
            release.countDown();
            other.close();
        }
        assertThat(ns.isOpen()).isFalse();
    }
}
