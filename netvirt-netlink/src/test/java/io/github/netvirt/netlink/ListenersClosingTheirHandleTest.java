package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Two listeners of one handle's subscriptions that each close the handle from their callback, at once:
 * each close closes the other's subscription too, and one that joined the other listener while that
 * one joined it waited out the 5 s join, both stalled (helper N, s47). Each close returns once the
 * sockets are released, without waiting for a listener that may be waiting for it.
 */
@RequiresRoot
class ListenersClosingTheirHandleTest {

    @Test
    void twoListenersClosingTheirHandleAtOnceDoNotWaitForEachOther() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle other = NetlinkHandle.open(ns)) {
            long worst = 0;
            for (int i = 0; i < 10; i++) {
                NetlinkHandle h = NetlinkHandle.open(ns);
                EventSubscription s1 = h.subscribe(EventGroup.LINK);
                EventSubscription s2 = h.subscribe(EventGroup.LINK);
                CyclicBarrier both = new CyclicBarrier(2);
                CountDownLatch closed = new CountDownLatch(2);
                long[] took = new long[2];
                Consumer<Integer> closer = n -> {
                    try {
                        both.await(5, TimeUnit.SECONDS); // both in their callbacks
                    } catch (Exception e) {
                        return;
                    }
                    long start = System.nanoTime();
                    h.close();
                    took[n] = System.nanoTime() - start;
                    closed.countDown();
                };
                s1.listen(e -> closer.accept(0));
                s2.listen(e -> closer.accept(1));
                other.linkAdd(LinkSpec.bridge("jNl" + i));
                assertThat(closed.await(20, TimeUnit.SECONDS)).as("round " + i).isTrue();
                other.linkDel("jNl" + i);
                worst = Math.max(worst, Math.max(took[0], took[1]));
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(worst))
                    .as("the slowest close, ms")
                    .isLessThan(2000);
        }
    }
}
