package io.github.netvirt.bench.tap;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The {@code raw-jna} system of the tap workload: two more taps on the rig's bridge, pbtap2 -> pbtap3
 * (MAC_C -> MAC_D, FDB primed as for pbtap0/pbtap1), opened non-blocking with the bare ioctls and
 * driven exactly as peers/tap-peer.c drives its taps, but from Java: one JNA direct-mapped
 * {@code write} per frame from native memory, one {@code read} per frame into native memory, a
 * {@code poll} only when the queue is empty. No netvirt-tap code on the path: what a frame costs a
 * JVM at the least, the floor under netvirt's stream and ByteBuffer paths.
 */
final class RawTapPair implements AutoCloseable {
    static final byte[] MAC_C = {0x02, 0x70, 0x62, 0x00, 0x00, 0x0c};
    static final byte[] MAC_D = {0x02, 0x70, 0x62, 0x00, 0x00, 0x0d};
    static final String SYSTEM = "raw-jna";
    private static final int READ_TIMEOUT_MILLIS = 100; // the rig's taps' read timeout
    private static final int RX = 2048;

    private final int out;
    private final int in;

    RawTapPair(TapRig rig) throws Exception {
        int o = RawTap.open(rig.ns, "pbtap2", LibC.O_NONBLOCK);
        int i;
        try {
            i = RawTap.open(rig.ns, "pbtap3", LibC.O_NONBLOCK);
        } catch (Exception | Error e) {
            Sys.closeQuietly(o);
            throw e;
        }
        out = o;
        in = i;
        try {
            rig.attach("pbtap2");
            rig.attach("pbtap3");
            Thread.sleep(100);
            teach();
            Thread.sleep(50);
            drain();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** One frame each way, as {@link TapRig#teach()}: the bridge forgets MAC_D 300 s after its last frame. */
    void teach() {
        byte[] f = new byte[64];
        TapRig.frame(f, 64, MAC_D, MAC_C);
        LibC.write(out, f, 64);
        TapRig.frame(f, 64, MAC_C, MAC_D);
        LibC.write(in, f, 64);
    }

    /**
     * Reads and drops whatever is queued on both taps (the priming frames, a previous run's tail);
     * returns how many of the dropped frames were the bench's.
     */
    int drain() {
        byte[] buf = new byte[RX];
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        int ours = 0;
        for (int fd : new int[] {out, in}) {
            long n;
            while ((n = LibC.read(fd, buf, buf.length)) >= 0) {
                if (FramePath.ours(b, (int) n)) {
                    ours++;
                }
            }
        }
        return ours;
    }

    /** The path for {@code size}-byte frames; its buffers are its own, made now. */
    FramePath path(int size) {
        return new FramePath(SYSTEM) {
            final Memory wm = new Memory(size);
            final Memory rm = new Memory(RX);
            final Memory pollfd = new Memory(8);
            final long w = Pointer.nativeValue(wm);
            final long r = Pointer.nativeValue(rm);
            final long p = Pointer.nativeValue(pollfd);
            final ByteBuffer wb = wm.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
            final ByteBuffer rb = rm.getByteBuffer(0, RX).order(ByteOrder.nativeOrder());

            {
                byte[] f = new byte[size];
                TapRig.frame(f, size, MAC_D, MAC_C);
                wb.put(0, f);
            }

            @Override
            void write(int seq) throws IOException {
                wb.putInt(18, seq);
                while (LibC.write(out, w, size) != size) {
                    int err = LibC.errno();
                    if (err != Errno.EAGAIN.code() && err != Errno.EINTR.code()) {
                        throw new IOException("raw write to pbtap2: errno " + err);
                    }
                    await(out, LibC.POLLOUT, -1);
                }
            }

            @Override
            boolean read() throws IOException {
                return readSome() > 0;
            }

            /** One frame per read(2); -1 when none came within the read timeout. */
            @Override
            int readSome() throws IOException {
                while (true) {
                    long n = LibC.read(in, r, RX);
                    if (n >= 0) {
                        return ours(rb, (int) n) ? 1 : 0;
                    }
                    int err = LibC.errno();
                    if (err != Errno.EAGAIN.code() && err != Errno.EINTR.code()) {
                        throw new IOException("raw read from pbtap3: errno " + err);
                    }
                    if (err == Errno.EAGAIN.code() && !await(in, LibC.POLLIN, READ_TIMEOUT_MILLIS)) {
                        return -1;
                    }
                }
            }

            /** poll(2) on {@code fd}; false on timeout. */
            private boolean await(int fd, short events, int timeoutMillis) throws IOException {
                pollfd.setInt(0, fd);
                pollfd.setShort(4, events);
                pollfd.setShort(6, (short) 0);
                int n = LibC.poll(p, 1, timeoutMillis);
                if (n < 0 && LibC.errno() != Errno.EINTR.code()) {
                    throw new IOException("poll: errno " + LibC.errno());
                }
                return n != 0;
            }
        };
    }

    @Override
    public void close() {
        Sys.closeQuietly(out);
        Sys.closeQuietly(in);
    }
}
