package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A {@code setIpv6Disabled} whose caller is interrupted while the namespace's thread writes the sysctl
 * is cancelled ({@link CancellationException}, the caller's interrupt status
 * set), as one interrupted before the hand-off is: never an {@link java.io.UncheckedIOException}
 * "cannot write .../disable_ipv6" as if the kernel had refused it (the interrupt, passed on to the
 * writing thread, closes the JDK's interruptible file channel under the write).
 */
@RequiresRoot
class InterruptedIpv6DisabledTest {
    @Test
    void anInterruptedWriteIsCancelledNotAnIoError() {
        List<String> misreported = new ArrayList<>();
        try (NetNamespace ns = NetNamespace.ephemeral();
                TapDevice tap = TapDevice.tap("tap0").open(ns)) {
            for (int i = 0; i < 1000 && misreported.isEmpty(); i++) {
                Thread caller = Thread.currentThread();
                long delayNanos = ThreadLocalRandom.current().nextLong(301) * 1000;
                Thread interrupter = new Thread(() -> {
                    long end = System.nanoTime() + delayNanos;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    caller.interrupt();
                });
                interrupter.start();
                try {
                    tap.setIpv6Disabled(i % 2 == 0);
                } catch (CancellationException e) {
                    // what an interrupt is
                } catch (RuntimeException e) {
                    for (Throwable c = e; c != null; c = c.getCause()) {
                        if (c instanceof ClosedByInterruptException) {
                            misreported.add(e.toString());
                            break;
                        }
                    }
                }
                while (interrupter.isAlive()) {
                    try {
                        interrupter.join();
                    } catch (InterruptedException afterTheWrite) {
                        // not this test's concern
                    }
                }
                Thread.interrupted();
            }
        }
        assertThat(misreported).isEmpty();
    }
}
