package io.github.netvirt.bench.tap;

import com.sun.management.ThreadMXBean;
import io.github.netvirt.bench.Report;
import io.github.netvirt.tap.TapTimeoutException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One measurement as peers/tap-peer.c's measure(): a reader thread (CPU 1) and a writer thread (CPU 0);
 * the writer writes until the deadline (checking the clock every 64 frames), paced runs keep at
 * most {@code window} frames in flight; the reader counts our frames until 100 ms of silence after
 * the writer stopped. Also measures the bytes each thread allocates per frame in steady state.
 */
final class TapRun {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final java.lang.management.CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final long STEADY = 1000; // frames before the allocation counters start

    final AtomicLong written = new AtomicLong();
    final AtomicLong read = new AtomicLong();
    volatile boolean writerDone;
    volatile Throwable failure;
    double secs;
    /** Milliseconds the JIT compilers worked during the measurement (on the same two CPUs). */
    long jitMillis;

    long writerAllocBytes = -1;
    long writerAllocFrames;
    long readerAllocBytes = -1;
    long readerAllocFrames;
    /** CPU time each thread used (ns): the rate with two CPUs of its own, whatever else runs. */
    volatile long writerCpuNanos;

    volatile long readerCpuNanos;

    volatile ThreadCounters writerCounters = ThreadCounters.NONE;
    volatile ThreadCounters readerCounters = ThreadCounters.NONE;

    static TapRun measure(FramePath path, int window, double secs) throws InterruptedException {
        TapRun r = new TapRun();
        r.secs = secs;
        long jit0 = JIT.getTotalCompilationTime();
        long deadline = System.nanoTime() + (long) (secs * 1e9);
        Thread reader = new Thread(() -> r.reader(path), "tap-reader");
        Thread writer = new Thread(() -> r.writer(path, window, deadline), "tap-writer");
        reader.start();
        writer.start();
        writer.join();
        reader.join();
        r.jitMillis = JIT.getTotalCompilationTime() - jit0;
        if (r.failure != null) {
            throw new IllegalStateException(path.system + " failed", r.failure);
        }
        return r;
    }

    private void writer(FramePath path, int window, long deadline) {
        Affinity.pin(0);
        ThreadCounters c0 = ThreadCounters.now();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long n = 0;
        int seq = 0;
        long a0 = 0;
        long n0 = 0;
        try {
            out:
            while (System.nanoTime() < deadline) {
                for (int k = 0; k < 64; ) {
                    int room = 64 - k;
                    if (window > 0) {
                        while (n - read.get() >= window) {
                            if (System.nanoTime() >= deadline) {
                                break out;
                            }
                            Thread.yield();
                        }
                        room = (int) Math.min(room, window - (n - read.get()));
                    }
                    if (n >= STEADY && n0 == 0) {
                        a0 = THREADS.getCurrentThreadAllocatedBytes();
                        n0 = n;
                    }
                    int m = path.write(seq, room); // one frame, or a batch of up to room
                    seq += m;
                    k += m;
                    n += m;
                    written.lazySet(n);
                }
            }
            if (n0 > 0) {
                writerAllocBytes = THREADS.getCurrentThreadAllocatedBytes() - a0;
                writerAllocFrames = n - n0;
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            writerCpuNanos = THREADS.getCurrentThreadCpuTime() - cpu0;
            writerCounters = ThreadCounters.now().since(c0);
            writerDone = true;
        }
    }

    private void reader(FramePath path) {
        Affinity.pin(1);
        ThreadCounters c0 = ThreadCounters.now();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long n = 0;
        long a0 = 0;
        long base = STEADY;
        try {
            while (true) {
                int m;
                try {
                    m = path.readSome();
                } catch (TapTimeoutException e) {
                    m = -1;
                }
                if (m > 0) {
                    long before = n;
                    n += m;
                    read.lazySet(n);
                    if (before < STEADY && n >= STEADY) {
                        a0 = THREADS.getCurrentThreadAllocatedBytes();
                        base = n;
                    } else if (n > base && (n & ~63L) != (before & ~63L)) {
                        // sampled while frames flow, so a timeout's exception is not counted
                        readerAllocBytes = THREADS.getCurrentThreadAllocatedBytes() - a0;
                        readerAllocFrames = n - base;
                    }
                } else if (m < 0) {
                    if (writerDone) {
                        readerCpuNanos = THREADS.getCurrentThreadCpuTime() - cpu0;
                        readerCounters = ThreadCounters.now().since(c0);
                        return; // drained: 100 ms of silence
                    }
                    // timed out: the writer was starved for 100 ms (a busy machine); the exception
                    // is not a per-frame cost; measure again from here
                    if (n >= STEADY) {
                        a0 = THREADS.getCurrentThreadAllocatedBytes();
                        base = n;
                    }
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    double writtenFps() {
        return written.get() / secs;
    }

    double readFps() {
        return read.get() / secs;
    }

    /**
     * Frames per second each thread could sustain on a CPU of its own (frames it handled over the
     * CPU time it used), the lower of the two: what the path reaches on an idle two-CPU machine.
     */
    /** The writer's and the reader's frames per CPU-second, for the run's note. */
    String cpuDetail() {
        return "writer_cpu_fps=" + (writerCpuNanos <= 0 ? 0 : Math.round(written.get() / (writerCpuNanos / 1e9)))
                + " reader_cpu_fps=" + (readerCpuNanos <= 0 ? 0 : Math.round(read.get() / (readerCpuNanos / 1e9)));
    }

    /**
     * How the writer and the reader met: the reader's read(2) calls that found the tap's queue empty
     * and its sleeps, per frame, and the milliseconds each thread waited for its CPU (other work).
     */
    String couplingDetail() {
        ThreadCounters w = writerCounters;
        ThreadCounters r = readerCounters;
        if (w == ThreadCounters.NONE || r == ThreadCounters.NONE || read.get() == 0) {
            return "coupling n/a";
        }
        return "reader_empty_reads_per_frame=" + Report.fmt(Math.max(0, r.syscr() - read.get()) / (double) read.get())
                + " reader_sleeps_per_frame=" + Report.fmt(r.sleeps() / (double) read.get())
                + " writer_cpu_wait_ms=" + Report.fmt(w.waitNanos() / 1e6)
                + " writer_preempted=" + w.preempted()
                + " reader_cpu_wait_ms=" + Report.fmt(r.waitNanos() / 1e6)
                + " jit_ms=" + jitMillis;
    }

    double cpuFps() {
        if (writerCpuNanos <= 0 || readerCpuNanos <= 0) {
            return 0;
        }
        return Math.min(written.get() / (writerCpuNanos / 1e9), read.get() / (readerCpuNanos / 1e9));
    }
}
