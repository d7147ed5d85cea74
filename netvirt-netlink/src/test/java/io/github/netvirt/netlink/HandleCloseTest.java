package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** close() from several threads at once releases the socket, eventfd and buffers exactly once. */
@RequiresRoot
class HandleCloseTest {
    static final int ROUNDS = 2000;
    static final int CLOSERS = 2;

    @Test
    void concurrentClosesReleaseEveryBufferOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLOSERS);
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            for (int round = 0; round < ROUNDS; round++) {
                NetlinkHandle h = NetlinkHandle.open(ns);
                AtomicInteger ready = new AtomicInteger();
                List<Future<?>> closers = new ArrayList<>();
                for (int t = 0; t < CLOSERS; t++) {
                    closers.add(pool.submit(() -> {
                        // spin rather than park: the closers must enter close() within nanoseconds
                        ready.incrementAndGet();
                        while (ready.get() < CLOSERS) {
                            Thread.onSpinWait();
                        }
                        h.close();
                        return null;
                    }));
                }
                for (Future<?> f : closers) {
                    f.get();
                }
                assertThatThrownBy(h::linkList).isInstanceOf(IllegalStateException.class);
                assertThat(buffersPooledTwice()).as("round %d: a direct buffer is in the pool twice", round).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedHandleIsClosedForEveryUse() {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            NetlinkHandle h = NetlinkHandle.open(ns);
            h.close();
            h.close();
            assertThatThrownBy(h::linkList).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            assertThatThrownBy(() -> h.linkSetUp("lo")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> h.batch().linkSetUp("lo").execute()).isInstanceOf(IllegalStateException.class);
            assertThat(h.toString()).contains("closed");
        }
    }

    /** Takes every pooled buffer out (the pool holds at most 32), counts repeats, gives them back. */
    private static int buffersPooledTwice() {
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            taken.add(BufferPool.take(1));
        }
        Set<ByteBuffer> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(taken);
        distinct.forEach(BufferPool::give);
        return taken.size() - distinct.size();
    }
}
