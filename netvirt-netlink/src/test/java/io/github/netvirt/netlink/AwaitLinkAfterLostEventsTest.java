package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A wait whose subscription lost events (ENOBUFS: the kernel's queue overflowed) reads the link
 * again and goes on waiting: it threw ENOBUFS to its caller, although the link was as asked by then
 * (helper I, s46). The condition blocks the waiting thread while 40 000 changes overflow the queue.
 */
@RequiresRoot
class AwaitLinkAfterLostEventsTest extends OneNamespace {
    private static final int CHANGES = 40_000;

    @Test
    void awaitLinkReadsTheLinkAgainAfterLostEvents() throws Exception {
        h.linkAdd(LinkSpec.bridge("jIbr0"));
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch flooded = new CountDownLatch(1);
        AtomicInteger tests = new AtomicInteger();
        CompletableFuture<Optional<Link>> wait = CompletableFuture.supplyAsync(() -> h.awaitLink(
                "jIbr0",
                l -> {
                    if (tests.getAndIncrement() == 0) { // subscribed: hold the reader while the queue overflows
                        waiting.countDown();
                        try {
                            flooded.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return l.isPresent() && l.get().mtu() == 1300;
                },
                Duration.ofSeconds(30)));
        assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();
        try (NetlinkHandle other = NetlinkHandle.open(ns)) {
            NetlinkBatch batch = other.batch();
            for (int i = 0; i < CHANGES; i++) {
                batch.linkSetMtu("jIbr0", 1400 + i % 2);
            }
            batch.linkSetMtu("jIbr0", 1300);
            batch.execute();
        } finally {
            flooded.countDown();
        }
        assertThat(wait.get(30, TimeUnit.SECONDS)).map(Link::mtu).contains(1300);
    }
}
