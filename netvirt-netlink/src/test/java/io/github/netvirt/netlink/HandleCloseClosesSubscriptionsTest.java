package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing a handle closes the subscriptions it opened, as {@code FileSystem.close()} closes its
 * channels: a subscription left open kept its socket and eventfd (2 fds) and its listener thread
 * after its handle was closed (helper K, s47). A subscription closed so behaves as one closed by its
 * own {@code close()}, and a wait of the handle on one of its own ends with the handle's close.
 */
@RequiresRoot
class HandleCloseClosesSubscriptionsTest {
    /** This process's fds and what they are ({@code socket:[inode]}, {@code anon_inode:[eventfd]}). */
    private static Set<String> fds() throws IOException {
        Set<String> fds = new HashSet<>();
        for (String fd : new File("/proc/self/fd").list()) {
            try {
                fds.add(fd + " -> " + Files.readSymbolicLink(Path.of("/proc/self/fd", fd)));
            } catch (NoSuchFileException gone) {
                // closed meanwhile, e.g. the listing's own
            }
        }
        return fds;
    }

    /** The fds in {@code now} that were not in {@code before}. */
    private static Set<String> opened(Set<String> before, Set<String> now) {
        Set<String> opened = new HashSet<>(now);
        opened.removeAll(before);
        return opened;
    }

    private static boolean listenerAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("netvirt-netlink-events") && t.isAlive());
    }

    @Test
    void closingTheHandleReleasesTheSubscriptionsFdsAndThread() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            NetlinkHandle h = NetlinkHandle.open(ns);
            h.linkList();
            Set<String> withHandle = fds();
            EventSubscription sub = h.subscribe(EventGroup.LINK);
            sub.listen(e -> {});
            Thread.sleep(200); // the socket's eventfd is made by its first wait
            Set<String> ofSubscription = opened(withHandle, fds());
            assertThat(ofSubscription).hasSize(2);
            assertThat(listenerAlive()).isTrue();
            h.close();
            assertThat(fds()).as("fds after the handle's close").doesNotContainAnyElementsOf(ofSubscription);
            assertThat(listenerAlive())
                    .as("listener thread after the handle's close")
                    .isFalse();
            sub.close(); // idempotent
            assertThat(fds()).doesNotContainAnyElementsOf(ofSubscription);
        }
    }

    @Test
    void aSubscriptionClosedWithItsHandleBehavesAsClosed() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            NetlinkHandle h = NetlinkHandle.open(ns);
            EventSubscription sub = h.subscribe(EventGroup.LINK);
            CompletableFuture<Throwable> awaited = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    sub.await(e -> false, Duration.ofSeconds(30));
                    awaited.complete(null);
                } catch (Throwable x) {
                    awaited.complete(x);
                }
            });
            t.start();
            Thread.sleep(200);
            h.close();
            assertThat(awaited.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(() -> sub.listen(e -> {})).isInstanceOf(IllegalStateException.class);
            assertThat(sub.poll(10, TimeUnit.MILLISECONDS)).isNull();
            t.join();
        }
    }

    @Test
    void awaitLinkEndsWhenTheHandleCloses() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            NetlinkHandle h = NetlinkHandle.open(ns);
            CountDownLatch started = new CountDownLatch(1);
            CompletableFuture<Throwable> awaited = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                started.countDown();
                try {
                    h.awaitLink("jKnone", Optional::isPresent, Duration.ofSeconds(30));
                    awaited.complete(null);
                } catch (Throwable x) {
                    awaited.complete(x);
                }
            });
            t.start();
            started.await();
            Thread.sleep(300);
            long start = System.nanoTime();
            h.close();
            assertThat(awaited.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
            t.join();
        }
    }

    @Test
    void aSubscriptionClosedConcurrentlyWithItsHandleIsReleasedOnce() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            for (int i = 0; i < 50; i++) {
                Set<String> before = fds();
                NetlinkHandle h = NetlinkHandle.open(ns);
                EventSubscription sub = h.subscribe(EventGroup.LINK);
                sub.listen(e -> {});
                Thread.sleep(20); // the socket's eventfd is made by its first wait
                Set<String> opened = opened(before, fds());
                CountDownLatch go = new CountDownLatch(1);
                Thread a = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    sub.close();
                });
                a.start();
                go.countDown();
                h.close(); // returns once the subscription is released, whichever close came first
                assertThat(fds()).doesNotContainAnyElementsOf(opened);
                a.join();
                sub.close();
                assertThat(fds()).doesNotContainAnyElementsOf(opened);
            }
            assertThat(listenerAlive()).isFalse();
        }
    }

    @Test
    void anotherHandlesCloseLeavesTheSubscriptionOpen() throws Exception {
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral();
                NetlinkHandle ha = NetlinkHandle.open(a);
                NetlinkHandle ha2 = NetlinkHandle.open(a);
                NetlinkHandle hb = NetlinkHandle.open(b);
                EventSubscription sub = ha.subscribe(EventGroup.LINK)) {
            hb.close();
            ha2.close();
            ha.linkAdd(LinkSpec.bridge("jKd0"));
            NetlinkEvent e =
                    sub.await(x -> x.link() != null && "jKd0".equals(x.link().name()), Duration.ofSeconds(5));
            assertThat(e.type()).isEqualTo(NetlinkEvent.Type.NEW_LINK);
        }
    }
}
