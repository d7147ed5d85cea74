package io.github.netvirt.netlink;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import io.github.netvirt.netns.sys.LibC;

/**
 * The few syscalls of the netlink data path, direct-mapped with raw buffer addresses: they return -1
 * and leave errno in {@link Native#getLastError()}, so nothing is allocated per call.
 */
final class NetlinkNative {
    static {
        // LibC's initialiser sets jna.platform.library.path (so that JNA does not run ldconfig) first
        try {
            Class.forName(LibC.class.getName(), true, LibC.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
        Native.register(NetlinkNative.class, NativeLibrary.getInstance("c"));
    }

    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_TRUNC = 0x20;
    static final int EINTR = 4;
    static final int EAGAIN = 11;

    private NetlinkNative() {
    }

    static native long sendto(int fd, long buf, long len, int flags, long addr, int addrLen);

    static native long recvfrom(int fd, long buf, long len, int flags, long addr, long addrLen);

    static native int poll(long fds, long nfds, int timeoutMillis);

    static native int bind(int fd, long addr, int addrLen);

    static native int getsockname(int fd, long addr, long addrLen);

    static native int setsockopt(int fd, int level, int name, long value, int len);

    static native int close(int fd);

    static native long write(int fd, long buf, long len);

    static native int eventfd(int initval, int flags);
}
