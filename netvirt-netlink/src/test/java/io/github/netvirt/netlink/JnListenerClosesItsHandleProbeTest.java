package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Audit probe (helper N, s47): listeners that close their own handle, alone, beside another thread's
 * close, and two listeners of one handle closing it at once: every close returns, none waits out
 * the 5 s join.
 */
@RequiresRoot
@EnabledIfSystemProperty(named = "netvirt.audit.jn", matches = "true")
class JnListenerClosesItsHandleProbeTest {

    @Test
    void listenersClosingTheirHandle() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            long worst = 0;
            for (int i = 0; i < 40; i++) {
                NetlinkHandle h = NetlinkHandle.open(ns);
                EventSubscription s1 = h.subscribe(EventGroup.LINK);
                EventSubscription s2 = h.subscribe(EventGroup.LINK);
                CountDownLatch started = new CountDownLatch(1);
                CountDownLatch closed = new CountDownLatch(1);
                java.util.concurrent.atomic.AtomicInteger closes = new java.util.concurrent.atomic.AtomicInteger();
                java.util.function.Consumer<NetlinkEvent> closer = e -> {
                    started.countDown();
                    h.close();
                    closes.incrementAndGet();
                    closed.countDown();
                };
                s1.listen(closer);
                s2.listen(closer);
                Thread.sleep(30);
                long start = System.nanoTime();
                try (NetlinkHandle other = NetlinkHandle.open(ns)) {
                    other.linkAdd(LinkSpec.bridge("jNp" + i));
                    if (i % 2 == 0) {
                        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
                        h.close(); // beside the listeners' closes
                    }
                    assertThat(closed.await(20, TimeUnit.SECONDS))
                            .as("round " + i)
                            .isTrue();
                    other.linkDel("jNp" + i);
                    Thread.sleep(50);
                    System.out.println("JN round " + i + " listener closes returned " + closes.get());
                }
                worst = Math.max(worst, System.nanoTime() - start);
            }
            System.out.println("JN worst round ms " + TimeUnit.NANOSECONDS.toMillis(worst));
            assertThat(worst).isLessThan(TimeUnit.SECONDS.toNanos(4));
        }
    }
}
