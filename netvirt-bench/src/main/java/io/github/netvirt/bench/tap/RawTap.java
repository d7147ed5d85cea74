package io.github.netvirt.bench.tap;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import java.nio.charset.StandardCharsets;

/**
 * A TAP fd with nothing around it: the cheapest way a JVM can write a frame (JNA direct mapping,
 * raw address, errno left alone), as the floor for netvirt-tap's per-frame cost.
 */
final class RawTap implements AutoCloseable {
    static {
        LibC.class.getName(); // sets jna.platform.library.path before JNA loads
        Native.register(RawTap.class, NativeLibrary.getInstance("c"));
    }

    private static final long TUNSETIFF = 0x400454caL;

    private static native long write(int fd, long buf, long count);

    private final int fd;
    private final Memory frame;
    private final long address;

    RawTap(NetNamespace ns, String name, byte[] bytes, int size) throws Exception {
        fd = open(ns, name, 0);
        frame = new Memory(size);
        frame.write(0, bytes, 0, size);
        address = Pointer.nativeValue(frame);
    }

    /**
     * Opens tap {@code name} in {@code ns} ({@code /dev/net/tun} and {@code TUNSETIFF}, IFF_TAP |
     * IFF_NO_PI, as peers/tap-peer.c does), {@code flags} added to O_RDWR; returns the fd.
     */
    static int open(NetNamespace ns, String name, int flags) throws Exception {
        int fd = ns.inside(() -> Sys.open("/dev/net/tun", LibC.O_RDWR | flags));
        byte[] ifr = new byte[40];
        System.arraycopy(name.getBytes(StandardCharsets.US_ASCII), 0, ifr, 0, name.length());
        ifr[16] = 0x02; // IFF_TAP
        ifr[17] = 0x10; // IFF_NO_PI (0x1000)
        try {
            LibC.ioctl(fd, TUNSETIFF, ifr);
        } catch (RuntimeException e) {
            Sys.closeQuietly(fd);
            throw e;
        }
        return fd;
    }

    /** Writes the frame; -1 with errno in {@link Native#getLastError()} on failure. */
    long write(int size) {
        return write(fd, address, size);
    }

    @Override
    public void close() {
        Sys.closeQuietly(fd);
        frame.close();
    }
}
