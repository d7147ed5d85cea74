package io.github.netvirt.bench.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What the kernel counted for the calling thread ({@code /proc/thread-self}): read(2) and write(2)
 * calls, sleeps (voluntary context switches), preemptions and the time it waited for a CPU. A TAP
 * writer's cost per frame depends on the reader: a reader that found the queue empty sits on the
 * tap's wait queue, and every frame then wakes it through that queue's lock from the writer's
 * system call. These counters show, per measurement, how often that happened and how much other
 * work took the pinned CPUs, for netvirt's paths and for the C peer alike (it reads the same files).
 */
record ThreadCounters(long syscr, long syscw, long sleeps, long preempted, long waitNanos) {
    static final ThreadCounters NONE = new ThreadCounters(-1, -1, -1, -1, -1);

    /** The calling thread's counters now; {@link #NONE} when /proc cannot tell. */
    static ThreadCounters now() {
        try {
            long[] io = keyed(Path.of("/proc/thread-self/io"), "syscr:", "syscw:");
            long[] switches = keyed(
                    Path.of("/proc/thread-self/status"), "voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:");
            String[] sched = Files.readString(Path.of("/proc/thread-self/schedstat"))
                    .trim()
                    .split("\\s+");
            return new ThreadCounters(io[0], io[1], switches[0], switches[1], Long.parseLong(sched[1]));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }

    /** The numbers after the line prefixes {@code keys} in {@code file}, -1 for a prefix not found. */
    private static long[] keyed(Path file, String... keys) throws IOException {
        long[] out = new long[keys.length];
        Arrays.fill(out, -1);
        for (String l : Files.readAllLines(file)) {
            for (int k = 0; k < keys.length; k++) {
                if (l.startsWith(keys[k])) {
                    out[k] = Long.parseLong(l.substring(keys[k].length()).trim());
                }
            }
        }
        return out;
    }

    /** The counts since {@code before}; {@link #NONE} when either is unknown. */
    ThreadCounters since(ThreadCounters before) {
        if (this == NONE || before == NONE || syscr < 0 || before.syscr < 0) {
            return NONE;
        }
        return new ThreadCounters(
                syscr - before.syscr,
                syscw - before.syscw,
                sleeps - before.sleeps,
                preempted - before.preempted,
                waitNanos - before.waitNanos);
    }
}
