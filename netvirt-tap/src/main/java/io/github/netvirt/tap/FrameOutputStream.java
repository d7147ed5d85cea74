package io.github.netvirt.tap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A device's frames as an {@link OutputStream}.
 * <ul>
 * <li>{@link #write(byte[], int, int)} sends exactly one frame, at once.</li>
 * <li>{@link #write(int)} starts a frame byte by byte; every later write (single bytes or arrays,
 *     as from a {@link java.io.DataOutputStream}) appends to it until {@link #flush()} sends it as
 *     one frame. {@link #close()} sends a started frame before it closes the device.</li>
 * <li>Every write after the stream or its device was closed throws a
 *     {@link java.nio.channels.ClosedChannelException} at once, a byte added to a started frame too.
 *     {@link #close()} does not wait for a write that waits for room in the device's queue: it closes
 *     the device, and the write throws {@link java.nio.channels.AsynchronousCloseException}.</li>
 * </ul>
 * Frames shorter than an Ethernet header (TAP) give an {@link IllegalArgumentException}; a device
 * that is down gives a {@link TapIOException} with EIO. Wrapping the stream in a
 * {@link java.io.BufferedOutputStream} merges frames: don't.
 */
public final class FrameOutputStream extends OutputStream {
    private final TapDevice device;
    /** Guards the started frame; a whole frame's write does not take it. */
    private final ReentrantLock building = new ReentrantLock();

    private byte[] frame;
    private int length;
    private boolean started;

    FrameOutputStream(TapDevice device) {
        this.device = device;
    }

    @Override
    public void write(int b) throws IOException {
        building.lock();
        try {
            ensureOpen();
            ensureRoom(1);
            frame[length++] = (byte) b;
            started = true;
        } finally {
            building.unlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        building.lock();
        try {
            if (started) {
                ensureOpen();
                ensureRoom(len);
                System.arraycopy(b, off, frame, length, len);
                length += len;
                return;
            }
        } finally {
            building.unlock();
        }
        device.write(b, off, len);
    }

    /** Sends the frame started with {@link #write(int)}, if any. */
    @Override
    public void flush() throws IOException {
        building.lock();
        try {
            sendStarted();
        } finally {
            building.unlock();
        }
    }

    /** Sends the started frame, if any; under {@link #building}. */
    private void sendStarted() throws IOException {
        if (!started) {
            return;
        }
        int n = length;
        started = false;
        length = 0;
        device.write(frame, 0, n);
    }

    /** What the device's own writes throw when it is closed, for bytes that only go into the frame buffer. */
    private void ensureOpen() throws ClosedChannelException {
        if (!device.isOpen()) {
            throw new ClosedChannelException();
        }
    }

    private void ensureRoom(int n) {
        if (frame == null) {
            frame = new byte[TapDevice.MAX_FRAME];
        }
        if (length + n > frame.length) {
            length = 0;
            started = false;
            throw new IllegalArgumentException("frame longer than " + TapDevice.MAX_FRAME + " bytes; discarded");
        }
    }

    /**
     * Sends a started frame, then closes the device. A started frame another thread is adding to or
     * sending meanwhile is not waited for: the device is closed under it.
     */
    @Override
    public void close() throws IOException {
        try {
            if (device.isOpen() && building.tryLock()) {
                try {
                    sendStarted();
                } finally {
                    building.unlock();
                }
            }
        } finally {
            device.close();
        }
    }
}
