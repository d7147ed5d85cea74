package io.github.netvirt.tap.bench;

import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Java counterpart of netvirt-bench's C peer ({@code netvirt-bench/peers/tap-peer.c}): two taps
 * on one bridge in an ephemeral namespace, a writer thread and a reader thread, one direction, 64-
 * and 1500-byte frames, unpaced and paced (window 256), the same frame layout, so the two can be
 * compared measurement by measurement. Also prints the bytes each thread allocated per
 * frame (HotSpot's per-thread allocation counter).
 *
 * <p>usage: {@code TapBench [seconds] [path: buffer|array|stream] [pinned|unpinned]}; run as root.
 * Pinned, like the C peer's default: the writer on CPU 0, the reader on CPU 1.
 */
public final class TapBench {
    private static final int WINDOW = 256;
    private static boolean pinned;

    /** sched_setaffinity for the calling thread (pid 0), JNA direct mapping. */
    private static final class Affinity {
        static {
            com.sun.jna.Native.register(Affinity.class, com.sun.jna.NativeLibrary.getInstance("c"));
        }

        static native int sched_setaffinity(int pid, long size, long[] mask);
    }

    private static void pin(int cpu) {
        if (pinned) {
            int n = Runtime.getRuntime().availableProcessors();
            Affinity.sched_setaffinity(0, 8, new long[] {1L << (cpu % n)});
        }
    }

    public static void main(String[] args) throws Exception {
        double secs = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        String path = args.length > 1 ? args[1] : "buffer";
        pinned = args.length > 2 && args[2].equals("pinned");
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            Sysctls.of(ns).set("ipv6/conf/default/disable_ipv6", "1");
            Sysctls.of(ns).set("ipv6/conf/all/disable_ipv6", "1");
            try (TapDevice a = TapDevice.tap("pbtap0").open(ns);
                 TapDevice b = TapDevice.tap("pbtap1").open(ns);
                 NetlinkHandle h = NetlinkHandle.open(ns)) {
                h.linkAdd(LinkSpec.bridge("pbtapbr").up());
                h.linkSetMaster("pbtap0", "pbtapbr");
                h.linkSetMaster("pbtap1", "pbtapbr");
                a.up();
                b.up();
                Thread.sleep(100);
                // prime the FDB both ways, as the C peer does
                a.write(frame(64, 0x0b, 0x0a), 0, 64);
                b.write(frame(64, 0x0a, 0x0b), 0, 64);
                Thread.sleep(50);
                a.setReadTimeout(Duration.ofMillis(100));
                b.setReadTimeout(Duration.ofMillis(100));
                System.out.printf("# TapBench (Java, %s path): bridge pbtapbr + taps pbtap0/pbtap1, %.1f s per run,"
                        + " window %d, %d CPUs, %s%n", path, secs, WINDOW,
                        Runtime.getRuntime().availableProcessors(), pinned ? "pinned" : "unpinned");
                System.out.printf("%-6s %-8s %-7s %14s %14s %10s %7s %9s %9s%n", "size", "dir", "paced",
                        "written_fps", "read_fps", "read_Mbps", "loss%", "wB/frame", "rB/frame");
                for (int size : new int[] {64, 1500}) {
                    run(a, b, size, 0, secs, path, true); // warm-up, not printed
                    run(a, b, size, 0, secs, path, false);
                    run(a, b, size, WINDOW, secs, path, false);
                }
            }
        }
    }

    static byte[] frame(int size, int dst, int src) {
        byte[] f = new byte[size];
        f[0] = 0x02; f[1] = 0x70; f[2] = 0x62; f[5] = (byte) dst;
        f[6] = 0x02; f[7] = 0x70; f[8] = 0x62; f[11] = (byte) src;
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xb5;
        f[14] = 0x70; f[15] = 0x62; f[16] = 0x74; f[17] = 0x62;
        for (int i = 22; i < size; i++) {
            f[i] = (byte) i;
        }
        return f;
    }

    private static void run(TapDevice w, TapDevice r, int size, int window, double secs, String path, boolean quiet)
            throws Exception {
        drain(r);
        AtomicLong written = new AtomicLong();
        AtomicLong read = new AtomicLong();
        long[] alloc = new long[2];
        long deadline = System.nanoTime() + (long) (secs * 1e9);
        byte[] f = frame(size, 0x0b, 0x0a);
        Thread writer = new Thread(() -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            ByteBuffer out = ByteBuffer.allocateDirect(2048);
            out.put(f).flip();
            OutputStream os = w.outputStream();
            pin(0);
            long n = 0;
            long a0 = mx.getCurrentThreadAllocatedBytes();
            try {
                outer:
                while (System.nanoTime() < deadline) {
                    for (int k = 0; k < 64; k++) {
                        if (window > 0) {
                            while (n - read.get() >= window) {
                                if (System.nanoTime() >= deadline) {
                                    break outer;
                                }
                                Thread.yield();
                            }
                        }
                        if (path.equals("stream")) {
                            os.write(f, 0, size);
                        } else if (path.equals("array")) {
                            w.write(f, 0, size);
                        } else {
                            out.position(0);
                            w.write(out);
                        }
                        written.lazySet(++n);
                    }
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            alloc[0] = mx.getCurrentThreadAllocatedBytes() - a0;
        });
        Thread reader = new Thread(() -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            ByteBuffer in = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME);
            byte[] arr = new byte[TapDevice.MAX_FRAME];
            InputStream is = r.inputStream();
            pin(1);
            long n = 0;
            long a0 = mx.getCurrentThreadAllocatedBytes();
            while (true) {
                try {
                    int len;
                    if (!path.equals("buffer")) {
                        len = path.equals("stream") ? is.read(arr, 0, arr.length) : r.read(arr, 0, arr.length);
                        if (len >= 18 && arr[12] == (byte) 0x88 && arr[13] == (byte) 0xb5) {
                            read.lazySet(++n);
                        }
                    } else {
                        in.clear();
                        len = r.read(in);
                        if (len >= 18 && in.get(12) == (byte) 0x88 && in.get(13) == (byte) 0xb5) {
                            read.lazySet(++n);
                        }
                    }
                } catch (IOException e) { // the read timeout after the writer stopped: drained
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                }
            }
            alloc[1] = mx.getCurrentThreadAllocatedBytes() - a0;
        });
        reader.start();
        writer.start();
        writer.join();
        reader.join();
        if (quiet) {
            return;
        }
        long wn = written.get();
        long rn = read.get();
        System.out.printf("%-6d %-8s %-7s %14.0f %14.0f %10.1f %7.2f %9.3f %9.3f%n", size, "0->1",
                window > 0 ? "yes" : "no", wn / secs, rn / secs, rn * (double) size * 8 / secs / 1e6,
                wn == 0 ? 0 : 100.0 * (wn - rn) / wn, alloc[0] / (double) Math.max(1, wn),
                alloc[1] / (double) Math.max(1, rn));
    }

    private static void drain(TapDevice r) {
        byte[] b = new byte[TapDevice.MAX_FRAME];
        try {
            while (true) {
                r.read(b, 0, b.length);
            }
        } catch (IOException e) {
            // timed out: empty
        }
    }
}
