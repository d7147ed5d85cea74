package io.github.netvirt.tap.impair;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import io.github.netvirt.netns.sys.LibC;

/**
 * The relay's frame path: JNA direct mapping that returns -1 and leaves errno to
 * {@link Native#getLastError()}: no exception, no allocation per call.
 */
final class FrameIo {
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    static {
        try {
            // LibC's initialiser sets jna.platform.library.path before JNA loads (see KERNEL-NOTES.md)
            Class.forName(LibC.class.getName(), true, FrameIo.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
        Native.register(FrameIo.class, NativeLibrary.getInstance("c"));
    }

    private FrameIo() {
    }

    static native long read(int fd, byte[] buf, long count);

    static native long write(int fd, byte[] buf, long count);

    /** {@code fds}: {@code struct pollfd} array, 8 bytes each. */
    static native int poll(byte[] fds, long nfds, int timeoutMillis);

    static int errno() {
        return Native.getLastError();
    }
}
