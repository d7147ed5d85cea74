package io.github.netvirt.tap;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The frame path's syscalls: JNA direct mapping with raw addresses, the cheapest calling style
 * measured (see KERNEL-NOTES.md). They return -1 and leave errno in {@link Native#getLastError()}:
 * no exception objects, no allocation.
 */
final class TapNative {
    static {
        // as in netvirt-netns's LibC: keep JNA from running `ldconfig -p` in a child process
        if (System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path",
                    "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64:/usr/lib64:/lib:/usr/lib");
        }
        Native.register(TapNative.class, NativeLibrary.getInstance("c"));
    }

    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final short POLLIN = 1;
    static final short POLLOUT = 4;

    private TapNative() {
    }

    /** Loads the bindings now (tens of milliseconds the first time) rather than in the first read. */
    static void load() {
    }

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native long memcpy(long dst, long src, long n);

    static native int ioctl(int fd, long request, long argument);

    /** {@code value} and {@code length}: addresses of the option's buffer and of its {@code socklen_t}. */
    static native int getsockopt(int fd, int level, int name, long value, long length);

    /** {@code fds}: the address of {@code nfds} {@code struct pollfd} (int fd, short events, short revents). */
    static native int poll(long fds, long nfds, int timeoutMillis);
}
