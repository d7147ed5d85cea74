package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.SeccompFilter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TapDevice#writeBatch} and {@link TapDevice#readBatch} on the real kernel: frames sent in
 * batches (more than one ring's worth, sizes mixed) come out of the other tap of the bridge, all of
 * them, in order, byte for byte; and the same for frames read in batches.
 */
@RequiresRoot
@Timeout(60)
class BatchFramesTest {
    private static final int FRAMES = 300; // more than TapUring.ENTRIES: several rounds per batch
    private Bridged net;

    @BeforeEach
    void up() {
        net = new Bridged().readTimeout(Duration.ofSeconds(2));
    }

    @AfterEach
    void down() {
        net.close();
    }

    private static int size(int seq) {
        return new int[] {60, 64, 1500, 1514, 333}[seq % 5];
    }

    private static List<byte[]> frames(int count) {
        List<byte[]> l = new ArrayList<>();
        for (int seq = 0; seq < count; seq++) {
            l.add(Frames.ethernet(size(seq), Frames.MAC_B, Frames.MAC_A, seq));
        }
        return l;
    }

    private static ByteBuffer[] direct(List<byte[]> frames) {
        ByteBuffer[] b = new ByteBuffer[frames.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = ByteBuffer.allocateDirect(2048);
            b[i].put(frames.get(i)).flip();
        }
        return b;
    }

    /** The test frames that arrive on {@code tap} until {@code count} came (other traffic skipped). */
    private static List<byte[]> receive(TapDevice tap, int count) throws IOException {
        List<byte[]> got = new ArrayList<>();
        byte[] buf = new byte[2048];
        while (got.size() < count) {
            int n = tap.read(buf, 0, buf.length);
            if (Frames.isTest(buf, n)) {
                got.add(java.util.Arrays.copyOf(buf, n));
            }
        }
        return got;
    }

    private static boolean uringEnabled() throws IOException {
        Path p = Path.of("/proc/sys/kernel/io_uring_disabled");
        return !Files.exists(p) || Files.readString(p).trim().equals("0");
    }

    @Test
    void framesWrittenInBatchesArriveInOrderByteForByte() throws Exception {
        List<byte[]> sent = frames(FRAMES);
        ByteBuffer[] out = direct(sent);
        // batches of 7, 100 (two ring rounds), and the rest, with an offset into the array
        assertThat(net.a.writeBatch(out, 0, 7)).isEqualTo(7);
        assertThat(net.a.writeBatch(out, 7, 100)).isEqualTo(100);
        assertThat(net.a.writeBatch(out, 107, FRAMES - 107)).isEqualTo(FRAMES - 107);
        for (ByteBuffer b : out) {
            assertThat(b.hasRemaining()).as("position moved to the limit").isFalse();
        }
        List<byte[]> got = receive(net.b, FRAMES);
        assertThat(got).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(got.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
        }
        if (uringEnabled()) {
            assertThat(net.a.batchUsesUring())
                    .as("io_uring is enabled on this kernel: the batch path uses it")
                    .isTrue();
        }
    }

    @Test
    void framesReadInBatchesAreTheFramesSentInOrder() throws Exception {
        List<byte[]> sent = frames(FRAMES);
        ByteBuffer[] in = new ByteBuffer[40];
        for (int i = 0; i < in.length; i++) {
            in[i] = ByteBuffer.allocateDirect(2048);
        }
        List<byte[]> got = new ArrayList<>();
        int sentCount = 0;
        int batches = 0;
        int most = 0;
        while (got.size() < FRAMES) {
            // a burst of up to 70 frames queued on b, then batches drain it
            for (int k = 0; k < 70 && sentCount < FRAMES; k++, sentCount++) {
                byte[] f = sent.get(sentCount);
                net.a.write(f, 0, f.length);
            }
            for (ByteBuffer b : in) {
                b.clear();
            }
            int n = net.b.readBatch(in, 3, 37);
            assertThat(n).isBetween(1, 37);
            batches++;
            most = Math.max(most, n);
            for (int i = 3; i < 3 + n; i++) {
                ByteBuffer b = in[i];
                byte[] f = new byte[b.position()];
                b.flip().get(f);
                if (Frames.isTest(f, f.length)) {
                    got.add(f);
                }
            }
            for (int i = 3 + n; i < in.length; i++) {
                assertThat(in[i].position())
                        .as("buffer %d after the %d frames read", i, n)
                        .isZero();
            }
        }
        assertThat(got).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(got.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
        }
        assertThat(most).as("frames per batch at best (%d batches)", batches).isGreaterThan(1);
    }

    @Test
    void readBatchWaitsForTheFirstFrameUpToTheTimeout() throws Exception {
        net.b.setReadTimeout(Duration.ofMillis(50));
        ByteBuffer[] in = {ByteBuffer.allocateDirect(2048), ByteBuffer.allocateDirect(2048)};
        // drain whatever the bridge passed so far
        try {
            while (true) {
                net.b.readBatch(in, 0, 2);
                in[0].clear();
                in[1].clear();
            }
        } catch (TapTimeoutException expected) {
            // empty now
        }
        assertThat(in[0].position()).isZero();
        assertThat(in[1].position()).isZero();
    }

    @Test
    void aDeviceThatIsDownRefusesTheFirstFrameAndSendsNoneAfterIt() throws Exception {
        net.a.down();
        ByteBuffer[] out = direct(frames(5));
        assertThatThrownBy(() -> net.a.writeBatch(out, 0, 5))
                .isInstanceOf(TapIOException.class)
                .satisfies(e -> assertThat(((TapIOException) e).errno()).isEqualTo(5)); // EIO
        for (ByteBuffer b : out) {
            assertThat(b.position()).as("no frame was sent").isZero();
        }
    }

    @Test
    void badInputIsRefusedBeforeAnyFrameIsSent() throws Exception {
        ByteBuffer[] out = direct(frames(3));
        ByteBuffer[] withHeap = {out[0], ByteBuffer.wrap(Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 9)), out[2]};
        assertThatThrownBy(() -> net.a.writeBatch(withHeap, 0, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("direct");
        ByteBuffer shortFrame = ByteBuffer.allocateDirect(10);
        ByteBuffer[] withShort = {out[0], shortFrame, out[2]};
        assertThatThrownBy(() -> net.a.writeBatch(withShort, 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> net.a.writeBatch(out, 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(out[0].position()).isZero();
        assertThatThrownBy(() -> net.b.readBatch(out, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closedDeviceRefusesBatchesAndLeavesNothingBehind() throws Exception {
        ByteBuffer[] out = direct(frames(3));
        net.a.writeBatch(out, 0, 3);
        String name = net.a.name();
        net.a.close();
        assertThat(Kernel.exists(net.ns, name))
                .as("the tap is gone with its fd (the ring holds none)")
                .isFalse();
        for (ByteBuffer b : out) {
            b.rewind();
        }
        assertThatThrownBy(() -> net.a.writeBatch(out, 0, 3))
                .isInstanceOf(java.nio.channels.ClosedChannelException.class);
    }

    @Test
    void framesLongerThanTheirBuffersAreCutInEveryBufferOfABatch() throws Exception {
        List<byte[]> sent = frames(6);
        for (int i = 0; i < sent.size(); i++) {
            sent.set(i, Frames.ethernet(1500, Frames.MAC_B, Frames.MAC_A, i));
            net.a.write(sent.get(i), 0, 1500);
        }
        ByteBuffer[] in = new ByteBuffer[6];
        for (int i = 0; i < in.length; i++) {
            in[i] = ByteBuffer.allocateDirect(100);
        }
        List<byte[]> got = new ArrayList<>();
        while (got.size() < sent.size()) {
            for (ByteBuffer b : in) {
                b.clear();
            }
            int n = net.b.readBatch(in, 0, in.length);
            for (int i = 0; i < n; i++) {
                byte[] f = new byte[in[i].position()];
                in[i].flip().get(f);
                if (Frames.isTest(f, f.length)) { // other traffic of the bridge skipped
                    got.add(f);
                }
            }
        }
        for (int i = 0; i < sent.size(); i++) {
            assertThat(got.get(i)).as("frame %d, cut to its buffer", i).isEqualTo(Arrays.copyOf(sent.get(i), 100));
        }
    }

    @Test
    void oneBufferGivenSeveralTimesIsSentEachTime() throws Exception {
        // more than one ring's worth: the same frame in every round
        ByteBuffer frame = direct(frames(1))[0];
        ByteBuffer[] out = new ByteBuffer[TapUring.ENTRIES + 6];
        java.util.Arrays.fill(out, frame);
        assertThat(net.a.writeBatch(out, 0, out.length)).isEqualTo(out.length);
        assertThat(frame.position()).isEqualTo(frame.limit());
        List<byte[]> got = receive(net.b, out.length);
        byte[] expected = frames(1).get(0);
        for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i)).as("copy %d", i).isEqualTo(expected);
        }
    }

    @Test
    void oneBufferGivenSeveralTimesIsSentEachTimeWithoutIoUring() throws Exception {
        ByteBuffer frame = direct(frames(1))[0];
        ByteBuffer[] out = {frame, frame, frame};
        onThreadWith(SeccompFilter.create().refuse(SeccompFilter.Call.IO_URING_SETUP, EPERM), () -> {
            net.a.writeBatch(out, 0, out.length);
            assertThat(net.a.batchUsesUring()).isFalse();
            return null;
        });
        assertThat(receive(net.b, 3))
                .allSatisfy(f -> assertThat(f).isEqualTo(frames(1).get(0)));
    }

    @Test
    void aReadErrorAfterTheFirstFrameEndsTheBatchWithTheFramesRead() throws Exception {
        List<byte[]> sent = frames(2);
        for (byte[] f : sent) {
            net.a.write(f, 0, f.length);
        }
        ByteBuffer[] in = {ByteBuffer.allocateDirect(2048), ByteBuffer.allocateDirect(2048)};
        long second = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(in[1]));
        SeccompFilter filter = SeccompFilter.create()
                .refuse(SeccompFilter.Call.IO_URING_SETUP, EPERM) // one read(2) per frame
                .refuseWhenArgIs(SeccompFilter.Call.READ, 1, second, EIO); // the second frame's read
        int n = onThreadWith(filter, () -> net.b.readBatch(in, 0, 2));
        assertThat(n).isEqualTo(1);
        // the first frame queued: ours, or a report the bridge sent for its multicast groups
        assertThat(in[0].position()).as("the frame read first").isPositive();
        assertThat(onThreadWith(filter, () -> {
                    try {
                        return net.b.readBatch(in, 1, 1);
                    } catch (TapIOException e) {
                        assertThat(e).hasMessageNotContaining("before writing"); // a hint for writes only
                        return -e.errno();
                    }
                }))
                .as("the error shows at the next batch")
                .isEqualTo(-EIO);
    }

    @Test
    void aRingThatFailsAfterTheFirstFrameEndsTheBatchWithTheFramesRead() throws Exception {
        assumeTrue(uringEnabled(), "io_uring is disabled on this machine");
        List<byte[]> sent = frames(3);
        for (byte[] f : sent) {
            net.a.write(f, 0, f.length);
        }
        ByteBuffer[] in = {
            ByteBuffer.allocateDirect(2048), ByteBuffer.allocateDirect(2048), ByteBuffer.allocateDirect(2048)
        };
        int n = onThreadWith(
                SeccompFilter.create().refuse(SeccompFilter.Call.IO_URING_ENTER, EIO), () -> net.b.readBatch(in, 0, 3));
        assertThat(n).isEqualTo(1);
        assertThat(in[0].position()).as("the frame read first").isPositive();
    }

    private static final int EPERM = 1;
    private static final int EIO = 5;

    /** {@code body}'s result, run on a thread of its own under {@code filter} (which ends with the thread). */
    private static <T> T onThreadWith(SeccompFilter filter, Callable<T> body) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            filter.installOnThisThread();
            return body.call();
        });
        Thread t = new Thread(task, "seccomp-filtered");
        t.start();
        t.join();
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }
}
