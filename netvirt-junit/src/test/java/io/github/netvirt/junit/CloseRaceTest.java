package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Calls on a running TestNetwork racing its close: each completes or says the network is not running. */
@RequiresRoot
class CloseRaceTest {
    private static final int ROUNDS = 60;
    private static final int CALLERS = 3;

    @Test
    void callsRacingCloseCompleteOrSayTheNetworkIsNotRunning() throws Exception {
        ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        for (int round = 0; round < ROUNDS; round++) {
            TestNetwork net = TestNetwork.of(Topology.create()
                    .ns("a").veth("e0", "b", "e0").addr("10.0.4.1/24")
                    .ns("b").dev("e0").addr("10.0.4.2/24"));
            net.start(TestNames.unique("hEjr") + "-", false);
            CountDownLatch started = new CountDownLatch(CALLERS);
            List<Thread> callers = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                int me = c;
                Thread th = new Thread(() -> {
                    started.countDown();
                    for (int i = me; ; i++) {
                        try {
                            switch (i % 3) {
                                case 0 -> net.down("a", "e0");
                                case 1 -> net.up("a", "e0");
                                default -> Objects.requireNonNull(net.namespace("b"), "host");
                            }
                            completed.incrementAndGet();
                        } catch (IllegalStateException e) {
                            if (e.getMessage() != null && e.getMessage().startsWith("this network is not running")) {
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
            net.close();
            for (Thread th : callers) {
                th.join(10_000);
                assertThat(th.isAlive()).as("caller still running 10 s after close").isFalse();
            }
        }
        assertThat(wrong).as("other failures, of %d calls", completed.get() + refused.get()).isEmpty();
        assertThat(refused.get()).as("calls that met the closed network").isEqualTo(ROUNDS * CALLERS);
        assertThat(completed.get()).isPositive();
    }
}
