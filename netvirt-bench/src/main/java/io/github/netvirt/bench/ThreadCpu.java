package io.github.netvirt.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * This JVM's threads' CPU time and time spent runnable but waiting for a CPU, from
 * {@code /proc/self/task/<tid>/schedstat}, summed by {@link Role}: shows how much of an up the JIT
 * compiler's threads ran beside it, and how long the system's own threads waited for a CPU.
 */
final class ThreadCpu {
    /** Who a thread is, for an up measured on the calling thread. */
    enum Role {
        /** The thread that runs the up. */
        CALLER,
        /** The JIT compiler's threads ({@code C1 CompilerThre}, {@code C2 CompilerThre}: names cut to 15 bytes). */
        COMPILER,
        /** Every other thread: the system's helpers (netvirt's switching threads, the floor's second thread), the collector. */
        OTHER
    }

    /** One thread's totals so far: nanoseconds on a CPU and runnable on a run queue. */
    record Times(Role role, long run, long waited) {}

    /**
     * Nanoseconds run and waited for a CPU between two samples, per {@link Role} (indexed by ordinal):
     * the threads of the later sample, less what each had at the earlier one (a thread born between
     * them counts whole; one that ended between them is not in the later sample and counts nothing).
     */
    record Between(long[] run, long[] waited) {
        static Between of(Map<String, Times> earlier, Map<String, Times> later) {
            long[] run = new long[Role.values().length];
            long[] waited = new long[run.length];
            for (Map.Entry<String, Times> e : later.entrySet()) {
                Times now = e.getValue();
                Times then = earlier.getOrDefault(e.getKey(), new Times(now.role(), 0, 0));
                run[now.role().ordinal()] += now.run() - then.run();
                waited[now.role().ordinal()] += now.waited() - then.waited();
            }
            return new Between(run, waited);
        }

        double runMillis(Role role) {
            return run[role.ordinal()] / 1e6;
        }

        double waitedMillis(Role role) {
            return waited[role.ordinal()] / 1e6;
        }
    }

    private static final Path TASKS = Path.of("/proc/self/task");

    private ThreadCpu() {}

    /** The calling thread's id, as {@code /proc/self/task} names it. */
    static String callerTid() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/thread-self"))
                    .getFileName()
                    .toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every live thread's totals before a measurement on the calling thread, by thread id;
     * {@code caller} from {@link #callerTid()}. The caller's own times are read last, so that reading
     * the others is not charged to the measurement.
     */
    static Map<String, Times> before(String caller) {
        Map<String, Times> threads = others(caller);
        threads.put(caller, mine(caller));
        return threads;
    }

    /** As {@link #before}, after the measurement: the caller's own times are read first. */
    static Map<String, Times> after(String caller) {
        Times mine = mine(caller);
        Map<String, Times> threads = others(caller);
        threads.put(caller, mine);
        return threads;
    }

    /**
     * The calling thread's times. Its CPU time from its CPU clock: a running thread's schedstat
     * holds its CPU time as of its last switch or tick (4 ms apart at most here), so that it would
     * miss what the thread just did, and charge it to the measurement that follows.
     */
    private static Times mine(String caller) {
        try {
            long[] stat = schedstat(Files.readString(TASKS.resolve(caller).resolve("schedstat")));
            return new Times(Role.CALLER, (long) ProcessCpu.threadNanos(), stat[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Times> others(String caller) {
        Map<String, Times> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String tid = task.getFileName().toString();
                if (tid.equals(caller)) {
                    continue;
                }
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    long[] stat = schedstat(Files.readString(task.resolve("schedstat")));
                    threads.put(tid, new Times(role(tid, comm, caller), stat[0], stat[1]));
                } catch (NoSuchFileException ended) {
                    // the thread ended while the directory was read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return threads;
    }

    /** The role of thread {@code tid} named {@code comm}. */
    static Role role(String tid, String comm, String caller) {
        if (tid.equals(caller)) {
            return Role.CALLER;
        }
        return comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler") ? Role.COMPILER : Role.OTHER;
    }

    /** A schedstat line's first two fields: nanoseconds on a CPU, nanoseconds runnable on a run queue. */
    static long[] schedstat(String line) {
        String[] f = line.strip().split(" ");
        if (f.length < 2) {
            throw new IllegalArgumentException("not a schedstat line: " + line);
        }
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }
}
