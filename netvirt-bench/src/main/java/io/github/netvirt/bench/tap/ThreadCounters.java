package io.github.netvirt.bench.tap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
            long syscr = -1;
            long syscw = -1;
            for (String l : Files.readAllLines(Path.of("/proc/thread-self/io"))) {
                if (l.startsWith("syscr:")) {
                    syscr = Long.parseLong(l.substring(6).trim());
                } else if (l.startsWith("syscw:")) {
                    syscw = Long.parseLong(l.substring(6).trim());
                }
            }
            long sleeps = -1;
            long preempted = -1;
            for (String l : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (l.startsWith("voluntary_ctxt_switches:")) {
                    sleeps = Long.parseLong(l.substring(24).trim());
                } else if (l.startsWith("nonvoluntary_ctxt_switches:")) {
                    preempted = Long.parseLong(l.substring(27).trim());
                }
            }
            String[] sched = Files.readString(Path.of("/proc/thread-self/schedstat"))
                    .trim()
                    .split("\\s+");
            return new ThreadCounters(syscr, syscw, sleeps, preempted, Long.parseLong(sched[1]));
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
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
