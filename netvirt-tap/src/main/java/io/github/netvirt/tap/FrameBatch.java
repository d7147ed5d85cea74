package io.github.netvirt.tap;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One direction of a device's batched frame path ({@link TapDevice#writeBatch},
 * {@link TapDevice#readBatch}): up to {@link TapUring#ENTRIES} frames per {@code io_uring_enter},
 * each one {@code read}/{@code write} of the tap fd as the single-frame path does. Where the
 * kernel has no io_uring (or refuses it) the batch is done one system call per frame, with the same
 * results. Used under the device's read or write lock, inside {@link TapFd#enter()}.
 */
final class FrameBatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FrameBatch.class.getName());
    private static final int SLOTS = TapUring.ENTRIES;

    private TapUring ring; // null: one system call per frame
    /** The direct buffers last seen at each batch index mod SLOTS, and their addresses: no Pointer per frame. */
    private final ByteBuffer[] buffers = new ByteBuffer[SLOTS];

    private final long[] addresses = new long[SLOTS];

    private FrameBatch(TapUring ring) {
        this.ring = ring;
    }

    /** A batch path over a new io_uring, or over single system calls when io_uring is not available. */
    static FrameBatch open(String what) {
        try {
            return new FrameBatch(TapUring.open());
        } catch (TapIOException e) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "no io_uring for {0} ({1}): one system call per frame",
                    what,
                    e.getMessage());
            return new FrameBatch(null);
        }
    }

    boolean usesUring() {
        return ring != null;
    }

    /** The ring, or null when there is none or it failed (then it is dropped for good). */
    private TapUring ring() {
        if (ring != null && !ring.isOpen()) {
            ring = null;
        }
        return ring;
    }

    /**
     * Writes {@code frames[offset..offset+count)} in order, each from its position to its limit as
     * they stand when the batch begins (a buffer given twice is sent twice); when the batch ends, also
     * by an exception, the positions of the frames sent are at their limits. The frames are linked:
     * when the kernel refuses one, those after it are not sent.
     */
    void write(TapFd fd, String name, ByteBuffer[] frames, int offset, int count) throws IOException {
        int sent = 0;
        try {
            while (sent < count) {
                TapUring ring = ring();
                if (ring == null) { // none, or failed: the rest one system call per frame
                    for (; sent < count; sent++) {
                        writeOne(fd, name, frames, offset + sent);
                    }
                    return;
                }
                int n = Math.min(SLOTS, count - sent);
                for (int k = 0; k < n; k++) {
                    ByteBuffer b = frames[offset + sent + k];
                    ring.prepare(
                            k,
                            TapUring.OP_WRITE,
                            k < n - 1 ? TapUring.LINK : 0,
                            fd.fd(),
                            address(offset + sent + k, b) + b.position(),
                            b.remaining());
                }
                ring.run(n);
                for (int k = 0; k < n; k++, sent++) {
                    int r = ring.result(k);
                    if (r >= 0) {
                        continue;
                    }
                    if (r == -Errno.EAGAIN.code()) {
                        // no room (rare on a tap): wait for it as the single-frame path does; the rest
                        // of the chain was cancelled and goes in the next round, in order
                        writeOne(fd, name, frames, offset + sent);
                        sent++;
                        break;
                    }
                    throw TapIOException.ofWrite(
                            "write of a " + frames[offset + sent].remaining() + "-byte frame (" + (sent + 1) + " of "
                                    + count + " in a batch) to " + name,
                            -r);
                }
            }
        } finally {
            // only now: a buffer given twice must be sent whole both times
            for (int i = offset; i < offset + sent; i++) {
                frames[i].position(frames[i].limit());
            }
        }
    }

    /** Writes {@code frames[index]} from its position to its limit with one system call, waiting for room. */
    private void writeOne(TapFd fd, String name, ByteBuffer[] frames, int index) throws IOException {
        ByteBuffer b = frames[index];
        fd.write(address(index, b) + b.position(), b.remaining(), name);
    }

    /**
     * Reads queued frames into {@code dsts[offset..offset+count)}, the first one waiting up to
     * {@code timeoutMillis} (0: forever), the others only if already queued. Each buffer's position
     * advances by the bytes stored. Returns the number of frames read, at least 1: an error after the
     * first frame ends the batch with the frames read, and shows at the next call if it lasts.
     */
    int read(TapFd fd, String name, int timeoutMillis, ByteBuffer[] dsts, int offset, int count) throws IOException {
        readOne(fd, name, dsts, offset, timeoutMillis);
        int done = 1;
        try {
            while (done < count) {
                TapUring ring = ring();
                if (ring == null) { // none, or failed: the rest one system call per frame
                    while (done < count && readOne(fd, name, dsts, offset + done, TapFd.NO_WAIT) >= 0) {
                        done++;
                    }
                    return done;
                }
                int n = Math.min(SLOTS, count - done);
                int out = readRound(ring, fd, dsts, offset + done, n);
                done += out;
                if (out < n) {
                    break;
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "batch read from {0} ended after {1} frames: {2}", name, done, e);
        }
        return done;
    }

    /**
     * One {@code io_uring_enter} of {@code n} reads into {@code dsts[from..from+n)}; returns how many
     * frames it read, stored in the first of those buffers, in order. Fewer than {@code n}: the queue
     * was drained, or a read failed (the device gone), which the next read will meet again.
     */
    private int readRound(TapUring ring, TapFd fd, ByteBuffer[] dsts, int from, int n) throws IOException {
        for (int k = 0; k < n; k++) {
            ByteBuffer b = dsts[from + k];
            ring.prepare(k, TapUring.OP_READ, 0, fd.fd(), address(from + k, b) + b.position(), b.remaining());
        }
        ring.run(n);
        // The reads ran one after the other: those that found the queue empty (EAGAIN) left their
        // buffer as it was, and a frame that arrived meanwhile may sit in a later buffer. Move such
        // frames down so that the frames read are the first ones, in order.
        int out = 0;
        for (int k = 0; k < n; k++) {
            int r = ring.result(k);
            if (r < 0) {
                continue;
            }
            ByteBuffer b = dsts[from + k];
            if (out != k) {
                ByteBuffer to = dsts[from + out];
                int room = Math.min(r, to.remaining());
                LibC.memcpy(address(from + out, to) + to.position(), address(from + k, b) + b.position(), room);
                to.position(to.position() + room);
            } else {
                b.position(b.position() + r);
            }
            out++;
        }
        return out;
    }

    /**
     * Reads one frame into {@code dsts[index]} as {@link TapFd#read} does; its position advances by
     * the bytes stored.
     */
    private int readOne(TapFd fd, String name, ByteBuffer[] dsts, int index, int timeoutMillis) throws IOException {
        ByteBuffer b = dsts[index];
        int n = fd.read(address(index, b) + b.position(), b.remaining(), timeoutMillis, name);
        if (n > 0) {
            b.position(b.position() + Math.min(n, b.remaining()));
        }
        return n;
    }

    private long address(int index, ByteBuffer b) {
        int slot = index & (SLOTS - 1);
        if (buffers[slot] != b) {
            addresses[slot] = Pointer.nativeValue(Native.getDirectBufferPointer(b));
            buffers[slot] = b;
        }
        return addresses[slot];
    }

    @Override
    public void close() {
        TapUring r = ring;
        if (r != null) {
            r.close();
        }
    }
}
