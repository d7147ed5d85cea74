package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/** The native bounce buffers of the single-frame path are freed by close, never under a call. */
@RequiresRoot
class BounceBuffersTest {
    @Test
    void closeFreesBothBounceBuffers() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            TapDevice tap =
                    TapDevice.tap("tpbounce").readTimeout(Duration.ofMillis(1)).open(ns);
            tap.up();
            byte[] f = Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 0);
            tap.write(f, 0, f.length);
            try {
                tap.read(new byte[2048], 0, 2048);
            } catch (TapTimeoutException e) {
                // the read buffer is made all the same
            }
            List<Memory> buffers = tap.bounceBuffers();
            assertThat(buffers).hasSize(2).allMatch(Memory::valid);
            tap.close();
            assertThat(buffers).as("bounce buffers after close").noneMatch(Memory::valid);
            assertThat(tap.bounceBuffers()).isEmpty();
        }
    }

    /**
     * 40 times: two readers blocked (byte array, heap buffer: both through the read bounce buffer)
     * and two writers in a tight loop (byte array, heap buffer: both through the write bounce
     * buffer) on a real tap, closed from another thread at a random moment. Every thread must end
     * with a close exception, and the buffers must be freed: freed under a native call, the JVM
     * would crash or a writer would send garbage.
     */
    @Test
    void closeRacingWithBlockedReadersAndBusyWritersEndsEveryoneAndFreesTheBuffers() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            for (int i = 0; i < 40; i++) {
                TapDevice tap = TapDevice.tap("tpbrace").open(ns);
                tap.up();
                AtomicReferenceArray<Throwable> ends = new AtomicReferenceArray<>(4);
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int k = t;
                    threads.add(new Thread(() -> ends.set(k, run(tap, k)), "tp-race-" + i + "-" + t));
                }
                threads.forEach(Thread::start);
                Thread.sleep(ThreadLocalRandom.current().nextInt(6));
                List<Memory> buffers = tap.bounceBuffers();
                tap.close();
                assertThat(buffers).noneMatch(Memory::valid);
                for (int t = 0; t < 4; t++) {
                    threads.get(t).join(2000);
                    assertThat(threads.get(t).isAlive())
                            .as("thread %d of round %d still running", t, i)
                            .isFalse();
                    assertThat(ends.get(t))
                            .as("end of thread %d, round %d", t, i)
                            .isInstanceOf(ClosedChannelException.class);
                }
                assertThat(tap.bounceBuffers()).isEmpty();
            }
        }
    }

    /** Reads (k 0, 1) or writes (k 2, 3) until the device is closed; what ended it. */
    private static Throwable run(TapDevice tap, int k) {
        byte[] f = Frames.ethernet(1500, Frames.MAC_B, Frames.MAC_A, k);
        byte[] b = new byte[2048];
        ByteBuffer heap = ByteBuffer.allocate(2048);
        try {
            while (true) {
                switch (k) {
                    case 0 -> tap.read(b, 0, b.length);
                    case 1 -> tap.read(heap.clear());
                    case 2 -> tap.write(f, 0, f.length);
                    default -> tap.write(ByteBuffer.wrap(f));
                }
            }
        } catch (Throwable t) {
            return t;
        }
    }
}
