package io.github.netvirt.tap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The native memory of one direction of a {@link TapDevice}'s single-frame path, so that nothing is
 * allocated per frame: a frame-sized buffer for byte arrays and heap buffers (made on first use),
 * and the address of the direct buffer last used. Used under the direction's lock.
 */
final class FrameMemory {
    private Memory bounce;
    private long bounceAddress;
    // the copies between byte arrays and the bounce buffer go through this direct view (an
    // intrinsic copy) rather than Memory.read/write (a JNI call each)
    private ByteBuffer view;

    private ByteBuffer direct;
    private long directAddress;

    /** The address of the frame-sized ({@link TapDevice#MAX_FRAME}) native buffer. */
    long bounce() {
        if (bounce == null) {
            bounce = new Memory(TapDevice.MAX_FRAME);
            bounceAddress = Pointer.nativeValue(bounce);
            view = bounce.getByteBuffer(0, TapDevice.MAX_FRAME);
        }
        return bounceAddress;
    }

    /** The native buffer, null before first use; for tests. */
    Memory memory() {
        return bounce;
    }

    /**
     * Frees the native buffer now rather than when the collector finds it. Only once no call can
     * use it: the device's fd is closed (every call has left it, later ones are refused before they
     * get here) and the caller holds the direction's lock.
     */
    void free() {
        if (bounce != null) {
            bounce.close();
            bounce = null;
            view = null;
            bounceAddress = 0;
        }
    }

    /** Copies {@code len} bytes from the start of the native buffer to {@code dst[off..)}. */
    void get(byte[] dst, int off, int len) {
        bounce();
        view.get(0, dst, off, len);
    }

    /** Copies {@code src[off..off+len)} to the start of the native buffer. */
    void put(byte[] src, int off, int len) {
        bounce();
        view.put(0, src, off, len);
    }

    /** The address of direct buffer {@code b}'s memory (its index 0). */
    long address(ByteBuffer b) {
        if (b != direct) {
            directAddress = Pointer.nativeValue(Native.getDirectBufferPointer(b));
            direct = b;
        }
        return directAddress;
    }
}
