package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An interrupt that reaches apply() while it runs cancels it at the next hand-off to another thread,
 * whichever step that is (a tap, forwarding): a CancellationException that says so, the interrupt
 * status kept, nothing left behind.
 */
@RequiresRoot
class InterruptedApplyTest {
    private final String p = TestNames.unique("fc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /**
     * Namespaces a and b joined by a veth, plus what {@code more} declares in a; the caller is
     * interrupted as the namespaces are made. Whether the next hand-off is withdrawn or already ran
     * is a race: tries until an apply is cancelled.
     */
    private void interruptedAsTheNamespacesAreMade(UnaryOperator<TopologyBuilder> more) throws Exception {
        Thread caller = Thread.currentThread();
        for (int attempt = 0; attempt < 20; attempt++) {
            String q = p + attempt + "-";
            TopologyBuilder b = more.apply(Topology.create()
                    .prefix(q)
                    .ns("a")
                    .veth("eth0", "b", "eth0")
                    .addr("10.7.0.1/24")
                    .ns("b")
                    .dev("eth0")
                    .addr("10.7.0.2/24")
                    .ns("a"));
            Throwable thrown = null;
            boolean flag;
            try (Topology t = b.apply(new ApplyOptions(-1, ns -> caller.interrupt()))) {
                // the interrupt came too late for every hand-off: try again
            } catch (RuntimeException e) {
                thrown = e;
            } finally {
                flag = Thread.interrupted();
            }
            if (thrown != null) {
                assertThat(thrown).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
                assertThat(flag).as("the interrupt status, kept").isTrue();
                assertThat(Reference.namespaces(q)).isEmpty();
                assertThat(Reference.records(q + "a")).isEmpty();
                return;
            }
        }
        fail("no apply was cancelled in 20 attempts");
    }

    @Test
    void anInterruptBeforeATapCancelsTheApply() throws Exception {
        interruptedAsTheNamespacesAreMade(x -> x.tap("tap0"));
    }

    @Test
    void anInterruptBeforeForwardingCancelsTheApply() throws Exception {
        interruptedAsTheNamespacesAreMade(TopologyBuilder::forwarding);
    }

    @Test
    void anInterruptDuringAChangeCancelsItAndTheTopologyIsAsBefore() throws Exception {
        Thread caller = Thread.currentThread();
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", "b", "eth0")
                .addr("10.7.0.1/24")
                .ns("b")
                .dev("eth0")
                .addr("10.7.0.2/24")
                .apply()) {
            for (int attempt = 0; attempt < 20; attempt++) {
                TopologyBuilder change = t.change()
                        .ns("c" + attempt)
                        .veth("eth0", "a", "c" + attempt)
                        .forwarding()
                        .tap("tap0");
                Throwable thrown = null;
                boolean flag;
                try {
                    change.apply(new ApplyOptions(-1, ns -> caller.interrupt()));
                } catch (RuntimeException e) {
                    thrown = e;
                } finally {
                    flag = Thread.interrupted();
                }
                if (thrown != null) {
                    assertThat(thrown).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
                    assertThat(flag).as("the interrupt status, kept").isTrue();
                    assertThat(Reference.namespaces(p)).containsExactlyInAnyOrder(p + "a", p + "b");
                    assertThat(t.linkList("a")).extracting(l -> l.name()).containsExactlyInAnyOrder("lo", "eth0");
                    return;
                }
                // the interrupt came too late for every hand-off: undo the change and try again
                t.change().removeNamespace("c" + attempt).apply();
            }
            fail("no change was cancelled in 20 attempts");
        }
    }
    /**
     * An interrupt at a random moment of a change that turns forwarding on in namespaces that are
     * there: when it cancels the change, forwarding is off again (the undoing sysctl writes are
     * hand-offs too, and the interrupt that cancelled the step is set again by then).
     */
    @Test
    void anInterruptAtAnyMomentOfAChangeLeavesForwardingAsItWas() throws Exception {
        Thread caller = Thread.currentThread();
        long spent = 0;
        int cancelled = 0;
        for (int attempt = 0; attempt < 100; attempt++) {
            try (Topology t = Topology.create()
                    .ephemeral()
                    .ns("a")
                    .veth("eth0", "b", "eth0")
                    .addr("10.7.0.1/24")
                    .ns("b")
                    .dev("eth0")
                    .addr("10.7.0.2/24")
                    .apply()) {
                TopologyBuilder change = t.change()
                        .ns("a")
                        .forwarding()
                        .tap("tap0")
                        .ns("b")
                        .forwarding()
                        .tap("tap0");
                // the first ones measure how long a change takes; then somewhere within that
                long delay = attempt < 5
                        ? Long.MAX_VALUE
                        : ThreadLocalRandom.current().nextLong(spent / attempt + 1);
                Thread interrupter = new Thread(() -> {
                    LockSupport.parkNanos(delay);
                    caller.interrupt();
                });
                interrupter.setDaemon(true);
                interrupter.start();
                long start = System.nanoTime();
                boolean wasCancelled = false;
                try {
                    change.apply();
                } catch (CancellationException e) {
                    wasCancelled = true;
                }
                spent += System.nanoTime() - start;
                interrupter.interrupt();
                while (interrupter.isAlive()) {
                    try {
                        interrupter.join();
                    } catch (InterruptedException again) {
                        // the interrupter's own, come late
                    }
                }
                Thread.interrupted();
                if (wasCancelled) {
                    cancelled++;
                    for (String ns : List.of("a", "b")) {
                        Sysctls sys = Sysctls.of(t.namespace(ns));
                        assertThat(List.of(sys.ipv4Forwarding(), sys.ipv6Forwarding()))
                                .as("forwarding of %s after the change cancelled in attempt %d", ns, attempt)
                                .containsOnly(false);
                    }
                }
            }
        }
        assertThat(cancelled).as("changes cancelled").isPositive();
    }
}
