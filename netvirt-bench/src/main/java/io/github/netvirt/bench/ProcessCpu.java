package io.github.netvirt.bench;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The JVM process's CPU time (user and system, every thread: the JVM's compiler and collector
 * threads too) from {@code clock_gettime(CLOCK_PROCESS_CPUTIME_ID)}, in nanoseconds: the JDK's
 * {@code getProcessCpuTime()} counts in clock ticks (10 ms here), too coarse for one apply; and the
 * calling thread's ({@code CLOCK_THREAD_CPUTIME_ID}).
 */
final class ProcessCpu {
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final int CLOCK_THREAD_CPUTIME_ID = 3;

    static {
        Native.register(ProcessCpu.class, Platform.C_LIBRARY_NAME);
    }

    private ProcessCpu() {}

    private static native int clock_gettime(int clock, long[] timespec);

    /** The CPU time so far in nanoseconds, NaN if the clock cannot be read. */
    static double nanos() {
        return read(CLOCK_PROCESS_CPUTIME_ID);
    }

    /** The calling thread's CPU time so far in nanoseconds, NaN if the clock cannot be read. */
    static double threadNanos() {
        return read(CLOCK_THREAD_CPUTIME_ID);
    }

    private static double read(int clock) {
        long[] ts = new long[2];
        if (clock_gettime(clock, ts) != 0) {
            return Double.NaN;
        }
        return ts[0] * 1e9 + ts[1];
    }
}
