package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Readiness and wake-ups, also for instances that take over the memory of closed ones. No root needed. */
class WakeableFdTest {
    private static int eventfd() {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        assertThat(fd).isNotNegative();
        return fd;
    }

    private static void signal(int fd) {
        byte[] one =
                ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(1).array();
        assertThat(LibC.write(fd, one, 8)).isEqualTo(8);
    }

    @Test
    void pollfdIsLaidOutAsTheKernelReadsIt() {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.putLong(0, WakeableFd.pollfd(0x12345678, LibC.POLLOUT));
        assertThat(b.getInt(0)).as("fd").isEqualTo(0x12345678);
        assertThat(b.getShort(4)).as("events").isEqualTo(LibC.POLLOUT);
        assertThat(b.getShort(6)).as("revents").isZero();
        b.putLong(0, WakeableFd.pollfd(-1, (short) 0xffff));
        assertThat(b.getInt(0)).isEqualTo(-1);
        assertThat(b.getShort(4)).isEqualTo((short) 0xffff);
        assertThat(b.getShort(6)).isZero();
    }

    @Test
    void eachGenerationPollsItsOwnFd() {
        for (int generation = 0; generation < 50; generation++) {
            // several open at once, closed in another order than made: the memory of closed ones is taken again
            WakeableFd a = WakeableFd.of(eventfd());
            WakeableFd b = WakeableFd.of(eventfd());
            assertThat(a.await(false, 0)).isEqualTo(WakeableFd.TIMEOUT);
            assertThat(b.await(false, 0)).isEqualTo(WakeableFd.TIMEOUT);
            signal(b.fd());
            assertThat(a.await(false, 0)).as("a is not b").isEqualTo(WakeableFd.TIMEOUT);
            assertThat(b.await(false, 0)).isEqualTo(WakeableFd.READY);
            assertThat(a.await(true, 0)).as("an eventfd is writable").isEqualTo(WakeableFd.READY);
            a.wakeup();
            assertThat(a.await(false, 1000)).isEqualTo(WakeableFd.WOKEN);
            assertThat(b.await(false, 0)).isEqualTo(WakeableFd.READY);
            b.close();
            assertThat(b.await(false, 0)).isEqualTo(WakeableFd.WOKEN);
            a.close();
        }
    }

    @Test
    void theEventfdIsMadeByTheFirstAwaitAndClosedWithTheFd() throws Exception {
        int fd = eventfd();
        WakeableFd w = WakeableFd.of(fd);
        assertThat(w.eventfd()).as("no eventfd before a poll").isNegative();
        assertThat(w.await(false, 0)).isEqualTo(WakeableFd.TIMEOUT);
        int wake = w.eventfd();
        assertThat(wake).isNotNegative();
        assertThat(openAt(wake)).isEqualTo(EVENTFD);
        w.wakeup();
        assertThat(w.await(false, 1000)).isEqualTo(WakeableFd.WOKEN);
        w.close();
        assertThat(openAt(fd)).as("the fd").isNotEqualTo(EVENTFD);
        assertThat(openAt(wake)).as("the eventfd").isNotEqualTo(EVENTFD);
    }

    @Test
    void closeBeforeAnyPollClosesTheFdAlone() throws Exception {
        int fd = eventfd();
        WakeableFd w = WakeableFd.of(fd);
        w.wakeup();
        assertThat(w.eventfd()).as("a wakeup with no poller makes none").isNegative();
        w.close();
        assertThat(openAt(fd)).isNotEqualTo(EVENTFD);
        assertThat(w.eventfd()).isNegative();
        assertThat(w.await(false, 0))
                .as("an await after close makes no eventfd")
                .isEqualTo(WakeableFd.WOKEN);
        assertThat(w.eventfd()).isNegative();
    }

    @Test
    void aPollerIsWokenByCloseFromAnotherThread() throws Exception {
        WakeableFd w = WakeableFd.of(eventfd());
        CompletableFuture<Integer> polled = CompletableFuture.supplyAsync(() -> {
            assertThat(w.enter()).isTrue();
            try {
                return w.await(false, -1);
            } finally {
                w.leave();
            }
        });
        while (w.eventfd() < 0) {
            Thread.onSpinWait();
        }
        Thread.sleep(20); // let it reach poll()
        w.close();
        assertThat(polled.get(10, TimeUnit.SECONDS)).isEqualTo(WakeableFd.WOKEN);
    }

    /** A wakeup() at the moment the first await makes the eventfd is never lost. */
    @Test
    void aWakeupRacingTheFirstAwaitIsNotLost() throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 2000; i++) {
                WakeableFd w = WakeableFd.of(eventfd());
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Integer> polled = two.submit(() -> {
                    start.await();
                    return w.await(false, 5000);
                });
                two.submit(() -> {
                    start.await();
                    w.wakeup();
                    return null;
                });
                assertThat(polled.get(10, TimeUnit.SECONDS)).as("round %d", i).isEqualTo(WakeableFd.WOKEN);
                w.close();
            }
        } finally {
            two.shutdownNow();
        }
    }

    private static final String EVENTFD = "anon_inode:[eventfd]";

    /**
     * What fd {@code fd} of this process is open on, or null: once closed, its number may be another
     * thread's file at any moment (opened and closed by netvirt's own threads), never this eventfd.
     */
    private static String openAt(int fd) throws IOException {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
