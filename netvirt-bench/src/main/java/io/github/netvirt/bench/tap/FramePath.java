package io.github.netvirt.bench.tap;

import io.github.netvirt.tap.FrameInputStream;
import io.github.netvirt.tap.FrameOutputStream;
import io.github.netvirt.tap.TapDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One way of moving frames through netvirt-tap: the writer's and the reader's per-frame step, with
 * every buffer made up front so that a step allocates only if netvirt does.
 */
abstract class FramePath {
    final String system;

    FramePath(String system) {
        this.system = system;
    }

    /** Sends the prepared frame stamped with {@code seq}. */
    abstract void write(int seq) throws IOException;

    /**
     * Sends up to {@code max} (at least 1) prepared frames stamped {@code seq}, {@code seq + 1}...;
     * returns how many. One per call, except on a batched path.
     */
    int write(int seq, int max) throws IOException {
        write(seq);
        return 1;
    }

    /** Reads one frame (waiting up to the device's read timeout); true if it is one of ours. */
    abstract boolean read() throws IOException;

    /**
     * Reads frames (waiting up to the read timeout for the first); returns how many were ours. A path
     * without netvirt-tap under it returns -1 when the timeout passed with no frame, where netvirt's
     * throw {@link io.github.netvirt.tap.TapTimeoutException}.
     */
    int readSome() throws IOException {
        return read() ? 1 : 0;
    }

    static boolean ours(ByteBuffer b, int n) {
        return n >= 18
                && (b.get(12) & 0xff) == TapRig.ETHERTYPE_BENCH >> 8
                && (b.get(13) & 0xff) == (TapRig.ETHERTYPE_BENCH & 0xff)
                && b.getInt(14) == TapRig.MAGIC;
    }

    /** Through {@link TapDevice#outputStream()} and {@link TapDevice#inputStream()}, byte arrays. */
    static FramePath streams(TapDevice from, TapDevice to, int size, byte[] dst, byte[] src) {
        return new FramePath("netvirt-stream") {
            final FrameOutputStream out = from.outputStream();
            final FrameInputStream in = to.inputStream();
            final byte[] frame = new byte[size];
            final ByteBuffer fb = ByteBuffer.wrap(frame).order(ByteOrder.nativeOrder());
            final byte[] buf = new byte[4096];
            final ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());

            {
                TapRig.frame(frame, size, dst, src);
            }

            @Override
            void write(int seq) throws IOException {
                fb.putInt(18, seq);
                out.write(frame, 0, size);
            }

            @Override
            boolean read() throws IOException {
                return ours(bb, in.read(buf, 0, buf.length));
            }
        };
    }

    /** Through {@link TapDevice#write(ByteBuffer)} and {@link TapDevice#read(ByteBuffer)}, direct buffers. */
    static FramePath buffers(TapDevice from, TapDevice to, int size, byte[] dst, byte[] src) {
        return new FramePath("netvirt-bytebuffer") {
            final ByteBuffer wb = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
            // at least MAX_FRAME bytes: the kernel fills it in place (see TapDevice)
            final ByteBuffer rb = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME).order(ByteOrder.nativeOrder());

            {
                byte[] f = new byte[size];
                TapRig.frame(f, size, dst, src);
                wb.put(f).clear();
            }

            @Override
            void write(int seq) throws IOException {
                wb.putInt(18, seq);
                wb.clear();
                from.write(wb);
            }

            @Override
            boolean read() throws IOException {
                rb.clear();
                int n = to.read(rb);
                return ours(rb, n);
            }
        };
    }

    /** Frames per batch on the batched path. */
    static final int BATCH = 32;

    /**
     * Through {@link TapDevice#writeBatch} and {@link TapDevice#readBatch}, direct buffers, up to
     * {@link #BATCH} frames per system call (io_uring).
     */
    static FramePath batches(TapDevice from, TapDevice to, int size, byte[] dst, byte[] src) {
        return new FramePath("netvirt-uring") {
            final ByteBuffer[] wb = new ByteBuffer[BATCH];
            final ByteBuffer[] rb = new ByteBuffer[BATCH];

            {
                byte[] f = new byte[size];
                TapRig.frame(f, size, dst, src);
                for (int i = 0; i < BATCH; i++) {
                    wb[i] = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
                    wb[i].put(f).clear();
                    rb[i] = ByteBuffer.allocateDirect(2048).order(ByteOrder.nativeOrder());
                }
            }

            @Override
            void write(int seq) throws IOException {
                write(seq, 1);
            }

            @Override
            int write(int seq, int max) throws IOException {
                int n = Math.min(max, BATCH);
                for (int i = 0; i < n; i++) {
                    wb[i].putInt(18, seq + i);
                    wb[i].clear();
                }
                from.writeBatch(wb, 0, n);
                return n;
            }

            @Override
            boolean read() throws IOException {
                return readSome() > 0;
            }

            @Override
            int readSome() throws IOException {
                for (ByteBuffer b : rb) {
                    b.clear();
                }
                int n = to.readBatch(rb, 0, BATCH);
                int mine = 0;
                for (int i = 0; i < n; i++) {
                    if (ours(rb[i], rb[i].position())) {
                        mine++;
                    }
                }
                return mine;
            }
        };
    }
}
