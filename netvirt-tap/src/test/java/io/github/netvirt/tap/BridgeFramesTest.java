package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@RequiresRoot
class BridgeFramesTest {
    private Bridged net;

    @BeforeEach
    void up() throws Exception {
        net = new Bridged().readTimeout(Duration.ofSeconds(2));
    }

    @AfterEach
    void down() {
        net.close();
    }

    /** Reads frames until a test frame arrives (the bridge may pass other traffic). */
    private static int readTestFrame(TapDevice tap, byte[] buf) throws IOException {
        while (true) {
            int n = tap.read(buf, 0, buf.length);
            if (Frames.isTest(buf, Math.min(n, buf.length))) {
                return n;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1500, 1514})
    void framesCrossTheBridgeBothWaysWithByteArrays(int size) throws Exception {
        byte[] buf = new byte[2048];
        for (int seq = 0; seq < 20; seq++) {
            byte[] ab = Frames.ethernet(size, Frames.MAC_B, Frames.MAC_A, seq);
            assertThat(net.a.write(ab, 0, size)).isEqualTo(size);
            assertThat(readTestFrame(net.b, buf)).isEqualTo(size);
            assertThat(Arrays.copyOf(buf, size)).isEqualTo(ab);

            byte[] ba = Frames.ethernet(size, Frames.MAC_A, Frames.MAC_B, seq + 1000);
            assertThat(net.b.write(ba, 0, size)).isEqualTo(size);
            assertThat(readTestFrame(net.a, buf)).isEqualTo(size);
            assertThat(Arrays.copyOf(buf, size)).isEqualTo(ba);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1500})
    void framesCrossTheBridgeWithDirectAndHeapBuffers(int size) throws Exception {
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        ByteBuffer heapIn = ByteBuffer.allocate(4096);
        for (int seq = 0; seq < 10; seq++) {
            byte[] f = Frames.ethernet(size, Frames.MAC_B, Frames.MAC_A, seq);
            out.clear().put(f).flip();
            assertThat(net.a.write(out)).isEqualTo(size);
            assertThat(out.hasRemaining()).isFalse();
            int n;
            do {
                in.clear();
                n = net.b.read(in);
            } while (!isTest(in));
            assertThat(n).isEqualTo(size);
            assertThat(in.position()).isEqualTo(size);
            byte[] got = new byte[size];
            in.flip().get(got);
            assertThat(got).isEqualTo(f);

            // heap buffer, read at a non-zero position; written from a heap buffer at an offset
            byte[] g = Frames.ethernet(size, Frames.MAC_A, Frames.MAC_B, seq + 500);
            ByteBuffer heapOut = ByteBuffer.allocate(size + 10);
            heapOut.position(10);
            heapOut.put(g).position(10);
            assertThat(net.b.write(heapOut)).isEqualTo(size);
            do {
                heapIn.clear().position(100);
                n = net.a.read(heapIn);
            } while (!Frames.isTest(Arrays.copyOfRange(heapIn.array(), 100, 100 + 14), 14));
            assertThat(n).isEqualTo(size);
            assertThat(heapIn.position()).isEqualTo(100 + size);
            assertThat(Arrays.copyOfRange(heapIn.array(), 100, 100 + size)).isEqualTo(g);
        }
    }

    private static boolean isTest(ByteBuffer b) {
        return b.position() >= 14 && (b.get(12) & 0xff) == 0x88 && (b.get(13) & 0xff) == 0xb5;
    }

    @Test
    void aFrameLargerThanTheBufferIsTruncatedAndItsLengthReported() throws Exception {
        byte[] big = Frames.ethernet(1500, Frames.MAC_B, Frames.MAC_A, 7);
        byte[] next = Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 8);
        net.a.write(big, 0, big.length);
        net.a.write(next, 0, next.length);

        byte[] small = new byte[100];
        int n = readTestFrame(net.b, small);
        assertThat(n).as("the frame's real length").isEqualTo(1500);
        assertThat(small).isEqualTo(Arrays.copyOf(big, 100));
        byte[] buf = new byte[2048];
        assertThat(readTestFrame(net.b, buf))
                .as("the rest of the big frame is gone; the next frame is whole")
                .isEqualTo(64);
        assertThat(Arrays.copyOf(buf, 64)).isEqualTo(next);

        // a direct buffer: filled, position at its limit, the length returned
        net.a.write(big, 0, big.length);
        ByteBuffer bb = ByteBuffer.allocateDirect(200);
        do {
            bb.clear();
            n = net.b.read(bb);
        } while (!isTest(bb));
        assertThat(n).isEqualTo(1500);
        assertThat(bb.position()).isEqualTo(200);

        // the stream: returns what fits, remembers the length, counts the truncation
        FrameInputStream in = net.b.inputStream();
        net.a.write(big, 0, big.length);
        do {
            n = in.read(small);
        } while (!Frames.isTest(small, n));
        assertThat(n).isEqualTo(100);
        assertThat(in.lastFrameLength()).isEqualTo(1500);
        assertThat(in.truncatedFrames()).isEqualTo(1);
        assertThat(small).isEqualTo(Arrays.copyOf(big, 100));
    }

    @Test
    void streamsCarryOneFramePerCallAndSingleBytesBehave() throws Exception {
        FrameOutputStream out = net.a.outputStream();
        FrameInputStream in = net.b.inputStream();
        byte[] f1 = Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 1);
        byte[] f2 = Frames.ethernet(300, Frames.MAC_B, Frames.MAC_A, 2);
        out.write(f1);
        out.write(f2);
        byte[] buf = new byte[2048];
        int n;
        do {
            n = in.read(buf);
        } while (!Frames.isTest(buf, n));
        assertThat(n).as("one read, one frame, never merged").isEqualTo(64);
        assertThat(in.read(buf)).isEqualTo(300);
        assertThat(Arrays.copyOf(buf, 300)).isEqualTo(f2);

        // a frame built byte by byte is sent on flush
        for (byte x : f1) {
            out.write(x);
        }
        assertThat(in.available()).as("nothing sent before flush").isZero();
        out.flush();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (in.available() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(in.available()).as("a queued frame's length").isEqualTo(64);
        assertThat(in.read()).isEqualTo(f1[0] & 0xff);
        assertThat(in.read()).isEqualTo(f1[1] & 0xff);
        assertThat(in.available()).isEqualTo(62);
        assertThat(in.read(buf)).as("the rest of the started frame").isEqualTo(62);
        assertThat(Arrays.copyOf(buf, 62)).isEqualTo(Arrays.copyOfRange(f1, 2, 64));
        assertThat(in.available()).isZero();
    }

    @Test
    void skipDropsAWholeFrameAndReturnsAtMostNBytes() throws Exception {
        FrameOutputStream out = net.a.outputStream();
        FrameInputStream in = net.b.inputStream();
        byte[] f1 = Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 1);
        byte[] f2 = Frames.ethernet(300, Frames.MAC_B, Frames.MAC_A, 2);
        byte[] f3 = Frames.ethernet(100, Frames.MAC_B, Frames.MAC_A, 3);
        byte[] f4 = Frames.ethernet(200, Frames.MAC_B, Frames.MAC_A, 4);
        byte[] f5 = Frames.ethernet(80, Frames.MAC_B, Frames.MAC_A, 5);
        out.write(f1);
        out.write(f2);
        out.write(f3);
        out.write(f4);
        out.write(f5);
        byte[] buf = new byte[2048];
        int n;
        do {
            n = in.read(buf);
        } while (!Frames.isTest(buf, n));
        assertThat(n).isEqualTo(64);

        // the next whole frame goes, whatever n is; what is returned is what was skipped, at most n
        assertThat(in.skip(5)).as("skip(5) of a 300-byte frame").isEqualTo(5);
        assertThat(in.lastFrameLength()).isEqualTo(300);
        assertThat(in.read(buf))
                .as("the next frame, not the skipped one's tail")
                .isEqualTo(100);
        assertThat(Arrays.copyOf(buf, 100)).isEqualTo(f3);

        // the rest of a frame started byte by byte
        assertThat(in.read()).isEqualTo(f4[0] & 0xff);
        assertThat(in.skip(3)).as("skip(3) of the 199 bytes left").isEqualTo(3);
        assertThat(in.available())
                .as("nothing of the skipped frame is left: the next frame is")
                .isEqualTo(80);
        assertThat(in.read(buf)).isEqualTo(80);
        assertThat(Arrays.copyOf(buf, 80)).isEqualTo(f5);
        assertThat(in.truncatedFrames()).as("skipping is not truncation").isZero();
    }
}
