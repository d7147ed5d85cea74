package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Calls on a live topology racing {@link Topology#close()}: each completes or throws
 * {@code IllegalStateException("topology is closed")}, never a netlink error the library made up.
 */
@RequiresRoot
class CloseRaceTest {
    private static final int ROUNDS = 120;
    private static final int CALLERS = 3;

    @Test
    void liveCallsRacingCloseCompleteOrSayTheTopologyIsClosed() throws Exception {
        TopologyBuilder b = Topology.create().ephemeral()
                .ns("a").veth("e0", "b", "e0").addr("10.0.3.1/24")
                .ns("b").tap("tap0");
        ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        for (int round = 0; round < ROUNDS; round++) {
            Topology t = b.apply();
            CountDownLatch started = new CountDownLatch(CALLERS);
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                int me = c;
                Thread th = new Thread(() -> {
                    started.countDown();
                    for (int i = 0; ; i++) {
                        try {
                            call(t, me + i);
                            completed.incrementAndGet();
                        } catch (IllegalStateException e) {
                            if ("topology is closed".equals(e.getMessage())) {
                                refused.incrementAndGet();
                            } else {
                                wrong.add(e);
                            }
                            return;
                        } catch (RuntimeException e) {
                            wrong.add(e);
                            return;
                        }
                    }
                }, "close-race-" + c);
                th.start();
                callers.add(th);
            }
            started.await();
            Thread.sleep(0, ThreadLocalRandom.current().nextInt(1_000_000));
            t.close();
            for (Thread th : callers) {
                th.join(10_000);
                assertThat(th.isAlive()).as("caller still running 10 s after close").isFalse();
            }
        }
        assertThat(wrong).as("other failures, of %d calls", completed.get() + refused.get()).isEmpty();
        assertThat(refused.get()).as("calls that met the closed topology").isEqualTo(ROUNDS * CALLERS);
        assertThat(completed.get()).isPositive();
    }

    private static void call(Topology t, int i) {
        switch (i % 8) {
            case 0 -> t.down("a", "e0");
            case 1 -> t.up("a", "e0");
            case 2 -> t.linkList("b");
            case 3 -> t.link("a", "e0");
            case 4 -> t.addrList("a");
            case 5 -> t.routeList("a");
            case 6 -> java.util.Objects.requireNonNull(t.tap("b", "tap0"), "tap");
            default -> java.util.Objects.requireNonNull(t.namespace("b"), "host");
        }
    }
}
