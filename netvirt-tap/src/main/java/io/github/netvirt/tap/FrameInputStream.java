package io.github.netvirt.tap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A device's frames as an {@link InputStream}. Its own reads never merge two frames:
 * <ul>
 * <li>{@link #read(byte[], int, int)} returns one frame. When {@code len} is smaller than the frame,
 *     it returns the first {@code len} bytes and the rest of the frame is lost (as with a
 *     {@link java.net.DatagramSocket}); {@link #lastFrameLength()} then tells the frame's real size
 *     and {@link #truncatedFrames()} counts such frames. Size buffers for the MTU plus 18 bytes.</li>
 * <li>{@link #read()} returns the next byte of the current frame, fetching one when none is
 *     pending; once a frame has been started byte by byte, {@code read(byte[], int, int)} returns the
 *     rest of that frame before it reads another.</li>
 * <li>{@link #skip(long)} drops the rest of a started frame, or the next whole frame, and returns the
 *     bytes skipped, at most {@code n}, like a read into an {@code n}-byte buffer.</li>
 * <li>{@link #available()} is the length of the frame that can be read without blocking (the rest
 *     of a pending frame, or a frame queued in the kernel, which it moves into this stream), or 0; 0
 *     also while another thread reads from this stream. It never waits, nor do {@link #lastFrameLength()}
 *     and {@link #truncatedFrames()}.</li>
 * <li>{@link #transferTo(OutputStream)} writes each frame whole, in one {@code write}, whatever its size.</li>
 * <li>End of stream ({@code -1}) means the device was closed, also when it is closed while a
 *     reader waits. A read timeout on the device raises {@link TapTimeoutException}.</li>
 * </ul>
 * The stream holds one frame-sized buffer, made at its first read; nothing is allocated per frame. What reads until it has
 * {@code n} bytes loses the frame boundaries: {@code InputStream}'s {@code readNBytes} and
 * {@code readAllBytes}, {@link java.io.DataInputStream#readFully}, a
 * {@link java.io.BufferedInputStream} (each frame it reads past is cut to the bytes it still wanted).
 */
public final class FrameInputStream extends InputStream {
    private final TapDevice device;
    /** Held by a read for as long as it waits for a frame; {@link #available} only tries it. */
    private final ReentrantLock reading = new ReentrantLock();

    /** Made at the first read that needs it (every device has this stream); under {@link #reading}. */
    private byte[] pending;

    private int pendingPos;
    private int pendingEnd;
    /** Written under {@link #reading}. */
    private volatile int lastFrameLength;
    /** Written under {@link #reading}. */
    private volatile long truncated;

    FrameInputStream(TapDevice device) {
        this.device = device;
    }

    @Override
    public int read() throws IOException {
        reading.lock();
        try {
            if (pendingPos == pendingEnd && !fill()) {
                return -1;
            }
            return pending[pendingPos++] & 0xff;
        } finally {
            reading.unlock();
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        reading.lock();
        try {
            if (pendingPos < pendingEnd) {
                int n = Math.min(len, pendingEnd - pendingPos);
                System.arraycopy(pending, pendingPos, b, off, n);
                if (n < pendingEnd - pendingPos) {
                    truncated++;
                }
                pendingPos = pendingEnd; // the rest of a frame that did not fit is dropped, as from the kernel
                return n;
            }
            int n;
            try {
                n = device.read(b, off, len);
            } catch (ClosedChannelException e) {
                return -1;
            }
            lastFrameLength = n;
            if (n > len) {
                truncated++;
                return len;
            }
            return n;
        } finally {
            reading.unlock();
        }
    }

    @Override
    public int available() throws IOException {
        if (!reading.tryLock()) {
            return 0; // another thread reads, perhaps waiting for the next frame
        }
        try {
            if (pendingPos < pendingEnd) {
                return pendingEnd - pendingPos;
            }
            if (!device.isOpen()) {
                return 0;
            }
            int n;
            try {
                n = device.readNow(pending(), 0, TapDevice.MAX_FRAME);
            } catch (ClosedChannelException e) {
                return 0;
            }
            if (n > 0) {
                lastFrameLength = n;
                pendingPos = 0;
                pendingEnd = n;
            }
            return n;
        } finally {
            reading.unlock();
        }
    }

    /**
     * Writes each frame to {@code out} whole, in one {@code write} (the rest of a frame started with
     * {@link #read()} first), until the device is closed; returns the bytes written. A frame of any
     * size the device carries stays one frame: {@code InputStream}'s own would cut those longer than
     * its buffer.
     */
    @Override
    public long transferTo(OutputStream out) throws IOException {
        Objects.requireNonNull(out, "out");
        long moved = 0;
        while (true) {
            reading.lock();
            try {
                if (pendingPos == pendingEnd && !fill()) {
                    return moved;
                }
                out.write(pending, pendingPos, pendingEnd - pendingPos);
                moved += pendingEnd - pendingPos;
                pendingPos = pendingEnd;
            } finally {
                reading.unlock();
            }
        }
    }

    /** The frame-sized buffer, under {@link #reading}. */
    private byte[] pending() {
        if (pending == null) {
            pending = new byte[TapDevice.MAX_FRAME];
        }
        return pending;
    }

    /** Reads a frame into the pending buffer, under {@link #reading}; false at end of stream. */
    private boolean fill() throws IOException {
        int n;
        try {
            n = device.read(pending(), 0, TapDevice.MAX_FRAME);
        } catch (ClosedChannelException e) {
            return false;
        }
        lastFrameLength = n;
        pendingPos = 0;
        pendingEnd = n;
        return true;
    }

    /**
     * Skips the rest of a frame started with {@link #read()}, or the next whole frame (blocking for it
     * like a read), as {@link #read(byte[], int, int)} with {@code len = n} would: the whole frame is
     * dropped, and the result is the number of bytes skipped, {@code min(n, frame length)}, never more
     * than {@code n}. Bytes of the frame past {@code n} are dropped with it ({@link #lastFrameLength()}
     * tells the frame's size), so the next read starts a new frame. Not counted in
     * {@link #truncatedFrames()}. Returns 0 for {@code n <= 0} (nothing dropped) and at end of stream.
     */
    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        reading.lock();
        try {
            if (pendingPos == pendingEnd && !fill()) {
                return 0;
            }
            long k = Math.min(n, pendingEnd - pendingPos);
            pendingPos = pendingEnd; // the rest of the frame goes too: a frame is never split across calls
            return k;
        } finally {
            reading.unlock();
        }
    }

    /** The length the kernel reported for the last frame read (before any truncation). */
    public int lastFrameLength() {
        return lastFrameLength;
    }

    /** How many frames were cut short because the caller's buffer was smaller. */
    public long truncatedFrames() {
        return truncated;
    }

    /** Closes the device (and wakes a reader blocked in this stream). */
    @Override
    public void close() {
        device.close();
    }
}
