package io.github.netvirt.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
}
