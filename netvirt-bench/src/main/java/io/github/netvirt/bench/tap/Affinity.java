package io.github.netvirt.bench.tap;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import io.github.netvirt.netns.internal.LibC;

/** Pins the calling thread to one CPU, as peers/tap-peer.c pins its writer and reader. */
final class Affinity {
    static {
        // LibC of netvirt-netns sets jna.platform.library.path before JNA loads: load it first
        LibC.class.getName();
        Native.register(Affinity.class, NativeLibrary.getInstance("c"));
    }

    private Affinity() {}

    private static native int sched_setaffinity(int pid, long size, long[] mask);

    /** Best effort: returns false when the kernel refused (e.g. a CPU set that excludes {@code cpu}). */
    static boolean pin(int cpu) {
        int n = Runtime.getRuntime().availableProcessors();
        long[] mask = new long[16];
        int c = cpu % Math.max(1, n);
        mask[c / 64] = 1L << (c % 64);
        return sched_setaffinity(0, mask.length * 8L, mask) == 0;
    }
}
