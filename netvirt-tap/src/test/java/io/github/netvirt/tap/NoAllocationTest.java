package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The frame path allocates nothing per frame: HotSpot's per-thread allocation counter stays flat
 * over thousands of frames written and read through each API (after a warm-up that lets the JIT
 * compile the path and the device allocate its native buffers).
 */
@RequiresRoot
class NoAllocationTest {
    private static final int FRAMES = 20_000;
    private static Bridged net;

    @BeforeAll
    static void up() {
        net = new Bridged().readTimeout(Duration.ofSeconds(2));
    }

    @AfterAll
    static void down() {
        net.close();
    }

    interface Step {
        void run() throws IOException;
    }

    private static long allocatedBy(Step step) throws IOException {
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < FRAMES; i++) {
            step.run(); // warm-up
        }
        // The least of three rounds: an allocation per frame shows in every round (at least 16 bytes
        // times the frame count); a one-off (a deoptimisation re-materialising scalar-replaced
        // objects when the JIT meets a new path) shows in one round only.
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 3 && least >= FRAMES / 10; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < FRAMES; i++) {
                step.run();
            }
            least = Math.min(least, mx.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    @Test
    void byteArrays() throws IOException {
        byte[] out = Frames.ethernet(1500, Frames.MAC_B, Frames.MAC_A, 1);
        byte[] in = new byte[2048];
        Read read = () -> net.b.read(in, 0, in.length); // made once: a capturing lambda per frame would allocate
        long bytes = allocatedBy(() -> {
            net.a.write(out, 0, out.length);
            readTest(read, in);
        });
        assertThat(bytes).as("bytes allocated for %d frames", FRAMES).isLessThan(FRAMES / 10);
    }

    /** Writes {@code out} into a, then reads b into {@code in} until the test's frame (ethertype 0x88..) comes. */
    private void roundTrip(ByteBuffer out, ByteBuffer in) throws IOException {
        out.rewind();
        net.a.write(out);
        do {
            in.clear();
            net.b.read(in);
        } while (in.get(12) != (byte) 0x88);
    }

    @Test
    void directBuffers() throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        out.put(Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 2)).flip();
        ByteBuffer small = ByteBuffer.allocateDirect(2048); // through the bounce buffer
        ByteBuffer big = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME); // in place
        long bytes = allocatedBy(() -> {
            roundTrip(out, small);
            roundTrip(out, big);
        });
        assertThat(bytes).as("bytes allocated for %d frames", 2 * FRAMES).isLessThan(FRAMES / 10);
    }

    @Test
    void heapBuffersAndStreams() throws IOException {
        ByteBuffer out = ByteBuffer.wrap(Frames.ethernet(300, Frames.MAC_B, Frames.MAC_A, 3));
        ByteBuffer in = ByteBuffer.allocate(2048);
        FrameOutputStream os = net.a.outputStream();
        FrameInputStream is = net.b.inputStream();
        byte[] f = Frames.ethernet(100, Frames.MAC_B, Frames.MAC_A, 4);
        byte[] buf = new byte[2048];
        Read read = () -> is.read(buf);
        long bytes = allocatedBy(() -> {
            roundTrip(out, in);
            os.write(f);
            readTest(read, buf);
        });
        assertThat(bytes).as("bytes allocated for %d frames", 2 * FRAMES).isLessThan(FRAMES / 10);
    }

    @Test
    void batches() throws IOException {
        ByteBuffer[] out = new ByteBuffer[8];
        ByteBuffer[] in = new ByteBuffer[8];
        for (int i = 0; i < out.length; i++) {
            out[i] = ByteBuffer.allocateDirect(2048);
            out[i].put(Frames.ethernet(64 + i, Frames.MAC_B, Frames.MAC_A, i)).flip();
            in[i] = ByteBuffer.allocateDirect(2048);
        }
        int[] pending = {0};
        long bytes = allocatedBy(() -> {
            for (ByteBuffer b : out) {
                b.rewind();
            }
            net.a.writeBatch(out, 0, out.length);
            pending[0] += out.length;
            while (pending[0] > 0) {
                for (ByteBuffer b : in) {
                    b.clear();
                }
                int n = net.b.readBatch(in, 0, in.length);
                for (int i = 0; i < n; i++) {
                    if (in[i].get(12) == (byte) 0x88) {
                        pending[0]--;
                    }
                }
            }
        });
        assertThat(bytes)
                .as("bytes allocated for %d batches of %d frames", FRAMES, out.length)
                .isLessThan(FRAMES / 10);
    }

    interface Read {
        int read() throws IOException;
    }

    private static void readTest(Read r, byte[] buf) throws IOException {
        int n;
        do {
            n = r.read();
        } while (!Frames.isTest(buf, n));
    }
}
