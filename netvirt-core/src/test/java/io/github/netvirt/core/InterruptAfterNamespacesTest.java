package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
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
    private static final int HOSTS = 200; // a window of 0.2-0.4 s for the interrupt to land in

    private final String p = TestNames.unique("ic") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void anInterruptWhileTheDevicesAreMadeCancelsTheApply() throws Exception {
        for (int attempt = 0; ; attempt++) {
            String q = p + attempt + "-";
            TopologyBuilder b = CrashChild.star(false, q, HOSTS, null);
            Thread caller = Thread.currentThread();
            AtomicLong interruptedAt = new AtomicLong();
            AtomicBoolean pastTheBatches = new AtomicBoolean();
            // the caller's stack in the device phase: every namespace was made before it
            Thread interrupter = new Thread(() -> {
                while (!inRounds(caller.getStackTrace())) {
                    if (Thread.currentThread().isInterrupted()) {
                        return;
                    }
                }
                interruptedAt.set(System.nanoTime());
                caller.interrupt();
                pastTheBatches.set(!inRounds(caller.getStackTrace()));
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
            System.out.printf("interrupt %d µs before apply ended; thrown: %s%n", (returned - at) / 1_000, thrown);
            // the interrupter was held up (a loaded machine) until the caller was past its last batch,
            // which no batch was left to notice, or never saw the device phase at all
            if ((at == 0 || thrown == null && pastTheBatches.get()) && attempt < 4) {
                continue;
            }
            assertThat(at).as("the interrupter saw the device phase").isNotZero();
            assertThat(thrown)
                    .as("apply interrupted %d ms before its end", (returned - at) / 1_000_000)
                    .isInstanceOf(CancellationException.class)
                    .hasMessageContaining("interrupted");
            assertThat(flag).as("the interrupt status, kept").isTrue();
            assertThat(Reference.namespaces(q)).isEmpty();
            assertThat(Ip.ok("netns", "list")).doesNotContain(q);
            assertThat(Ip.ok("-br", "link")).doesNotContain(q);
            assertThat(Reference.records(q)).isEmpty();
            return;
        }
    }

    /** Whether {@code stack} is in the Applier's rounds of device steps, batch by batch. */
    private static boolean inRounds(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (e.getClassName().equals(Applier.class.getName())
                    && e.getMethodName().equals("runRounds")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The same while apply waits for duplicate address detection of an IPv6 address in an adopted
     * namespace (1-2 s, after the last batch): the wait ends and apply is cancelled, rolled back.
     */
    @Test
    void anInterruptWhileApplyWaitsForDadCancelsTheApply() throws Exception {
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String net = String.format(
                "fd%02x:%x:%x:1::", r.nextInt(256), r.nextInt(0x1000, 0x10000), r.nextInt(0x1000, 0x10000));
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .adopt("c", foreign)
                .veth("c0", "s", "eth0")
                .addr(net + "1/64")
                .ns("s")
                .dev("eth0")
                .addr(net + "2/64");
        Thread caller = Thread.currentThread();
        AtomicLong interruptedAt = new AtomicLong();
        Thread interrupter = new Thread(() -> {
            // every batch is sent (both ends up, with their addresses) while c0's address is still tentative
            while (!upWith(p + "s", "eth0", net + "2/64") || !upWith(foreign, "c0", "tentative")) {
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
        try (Topology t = b.apply()) {
            // not cancelled
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            flag = Thread.interrupted();
        }
        interrupter.interrupt();
        interrupter.join();
        Thread.interrupted();
        assertThat(interruptedAt.get())
                .as("the interrupter saw the tentative address")
                .isNotZero();
        System.out.println("interrupted while DAD ran; thrown: " + thrown + ", cause: "
                + (thrown == null ? null : thrown.getCause()));
        assertThat(thrown).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        assertThat(flag).as("the interrupt status, kept").isTrue();
        assertThat(Reference.namespaces(p)).containsExactly(foreign);
        assertThat(Ip.ok("-n", foreign, "-br", "link")).doesNotContain("c0");
        assertThat(Reference.records(p + "s")).isEmpty();
    }

    private static boolean upWith(String ns, String dev, String text) {
        String out = Ip.exec(List.of("ip", "-n", ns, "-6", "addr", "show", "dev", dev))
                .out();
        return out.contains(",UP,") && out.contains(text);
    }
}
