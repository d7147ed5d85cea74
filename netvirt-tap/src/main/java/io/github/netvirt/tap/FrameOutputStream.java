package io.github.netvirt.tap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedChannelException;
import java.util.Objects;

/**
 * A device's frames as an {@link OutputStream}.
 * <ul>
 * <li>{@link #write(byte[], int, int)} sends exactly one frame, at once.</li>
 * <li>{@link #write(int)} starts a frame byte by byte; every later write (single bytes or arrays,
 *     as from a {@link java.io.DataOutputStream}) appends to it until {@link #flush()} sends it as
 *     one frame. {@link #close()} sends a started frame before it closes the device.</li>
 * <li>Every write after the stream or its device was closed throws a
 *     {@link java.nio.channels.ClosedChannelException} at once, a byte added to a started frame too.</li>
 * </ul>
 * Frames shorter than an Ethernet header (TAP) give an {@link IllegalArgumentException}; a device
 * that is down gives a {@link TapIOException} with EIO. Wrapping the stream in a
 * {@link java.io.BufferedOutputStream} merges frames: don't.
 */
public final class FrameOutputStream extends OutputStream {
    private final TapDevice device;
    private byte[] frame;
    private int length;
    private boolean building;

    FrameOutputStream(TapDevice device) {
        this.device = device;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        ensureOpen();
        ensureRoom(1);
        frame[length++] = (byte) b;
        building = true;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (building) {
            ensureOpen();
            ensureRoom(len);
            System.arraycopy(b, off, frame, length, len);
            length += len;
            return;
        }
        device.write(b, off, len);
    }

    /** Sends the frame started with {@link #write(int)}, if any. */
    @Override
    public synchronized void flush() throws IOException {
        if (!building) {
            return;
        }
        int n = length;
        building = false;
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
            building = false;
            throw new IllegalArgumentException("frame longer than " + TapDevice.MAX_FRAME + " bytes; discarded");
        }
    }

    /** Sends a started frame, then closes the device. */
    @Override
    public void close() throws IOException {
        try {
            if (device.isOpen()) {
                flush();
            }
        } finally {
            device.close();
        }
    }
}
