package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An interrupt that comes after the namespaces are made, while the devices are being made in the
 * caller's thread (pipelined netlink batches, no hand-off left), cancels apply at its next batch:
 * a CancellationException, the interrupt status kept, nothing of the topology left in the kernel
 * or in the run directory.
 */
@RequiresRoot
class InterruptAfterNamespacesTest {
    private static final int HOSTS = 100;

    private final String p = TestNames.unique("ic") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void anInterruptWhileTheDevicesAreMadeCancelsTheApply() throws Exception {
        TopologyBuilder b = CrashChild.star(false, p, HOSTS, null);
        Thread caller = Thread.currentThread();
        AtomicLong interruptedAt = new AtomicLong();
        // the first device of the device phase is there: every namespace was made before it
        Thread interrupter = new Thread(() -> {
            while (Ip.exec(List.of("ip", "-n", p + "br", "link", "show", "p1")).exitCode() != 0) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            interruptedAt.set(System.nanoTime());
            caller.interrupt();
        });
        interrupter.setDaemon(true);
        interrupter.start();
        Throwable thrown = null;
        boolean flag;
        long returned;
        try (Topology t = b.apply()) {
            returned = System.nanoTime();
        } catch (RuntimeException e) {
            returned = System.nanoTime();
            thrown = e;
        } finally {
            flag = Thread.interrupted();
        }
        interrupter.interrupt();
        interrupter.join();
        Thread.interrupted();
        long at = interruptedAt.get();
        assertThat(at).as("the interrupter saw the first bridge port").isNotZero();
        System.out.printf("interrupt %d µs before apply ended; thrown: %s%n", (returned - at) / 1_000, thrown);
        assertThat(thrown)
                .as("apply interrupted %d ms before its end", (returned - at) / 1_000_000)
                .isInstanceOf(CancellationException.class)
                .hasMessageContaining("interrupted");
        assertThat(flag).as("the interrupt status, kept").isTrue();
        assertThat(Reference.namespaces(p)).isEmpty();
        assertThat(Ip.ok("netns", "list")).doesNotContain(p);
        assertThat(Ip.ok("-br", "link")).doesNotContain(p);
        assertThat(Reference.records(p)).isEmpty();
    }
}
