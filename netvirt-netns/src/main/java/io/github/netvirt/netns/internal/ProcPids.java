package io.github.netvirt.netns.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pids as the mounted {@code /proc} numbers them. The kernel gives a process one pid in each pid
 * namespace from its own up to the initial one; {@link ProcessHandle#pid()} and the pids of started
 * processes are those of the JVM's namespace, while {@code /proc/PID} is numbered in the pid
 * namespace {@code /proc} was mounted for. A JVM in a pid namespace of its own that sees the machine's
 * {@code /proc} ({@code unshare -p -f} without {@code --mount-proc}) is pid 1 to itself, and
 * {@code /proc/1} is the machine's init: every {@code /proc/PID} path, and every pid written for
 * someone reading that {@code /proc}, must be this numbering's.
 */
public final class ProcPids {
    private static volatile long[] selfNs;
    /** {@link #self()}, once read (0 before). */
    private static volatile long self;

    private ProcPids() {}

    /**
     * This process's pid in {@code /proc} ({@code /proc/self}).
     *
     * @throws IllegalStateException if {@code /proc} does not show this process (mounted for a pid
     *     namespace this process is not in, or not mounted)
     */
    public static long self() {
        long s = self;
        if (s != 0) {
            return s;
        }
        String link;
        try {
            link = Files.readSymbolicLink(Path.of("/proc/self")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException(
                    "the /proc mounted here does not show this process (/proc/self: " + e.getMessage()
                            + "): it belongs to a pid namespace this process is not in, or is not a proc file"
                            + " system; netvirt finds its own processes there (mount a /proc of this process's"
                            + " pid namespace, as unshare --mount-proc does)",
                    e);
        }
        s = Long.parseLong(link);
        self = s; // read once, as which /proc is mounted here (selfNsPids)
        return s;
    }

    /**
     * The fields of {@code /proc/PID/stat} from the third (the state) on, so that the start time
     * (field 22) is at index 19; null if there is no such process (or it cannot be read).
     */
    public static String[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // comm (field 2) may contain spaces and parentheses: count from the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return f.length > 19 ? f : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The start time of process {@code pid} (field 22 of {@code /proc/PID/stat}, clock ticks after
     * boot): with its pid, what no other process has while it runs.
     *
     * @throws IllegalStateException if {@code /proc/PID/stat} cannot be read
     */
    public static String startTime(long pid) {
        String[] f = stat(pid);
        if (f == null) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat");
        }
        return f[19];
    }

    /**
     * The time now as start times tell it ({@link #startTime}): clock ticks ({@code sysconf(_SC_CLK_TCK)})
     * of {@code CLOCK_BOOTTIME}, rounded down as the kernel rounds them. A process whose start time is
     * less started before now.
     */
    public static long ticksSinceBoot() {
        long[] now = new long[2];
        LibC.clock_gettime(LibC.CLOCK_BOOTTIME, now);
        long hz = LibC.sysconf(LibC.SC_CLK_TCK);
        return now[0] * hz + now[1] * hz / 1_000_000_000L;
    }

    /**
     * Whether process {@code pid} started at {@code startTime} still runs here. A zombie (state Z, or
     * X while it is being reaped) does not: it still has its pid and start time until its parent
     * reaps it, but its files are closed (and its flocks gone) before it becomes one.
     */
    public static boolean alive(long pid, String startTime) {
        String[] f = stat(pid);
        return f != null && f[19].equals(startTime) && !f[0].equals("Z") && !f[0].equals("X");
    }

    /**
     * Whether {@code /proc} numbers processes as the JVM does (it was mounted for the JVM's pid
     * namespace): {@code NSpid} of {@code /proc/self/status} lists the pids from {@code /proc}'s
     * namespace down to the process's own, one when they are the same.
     */
    public static boolean sameAsJvm() {
        return selfNsPids().length == 1;
    }

    /**
     * The pid {@code /proc} gives the process that is {@code pid} in the JVM's pid namespace, or -1
     * when there is none (it exited).
     */
    public static long of(long pid) {
        long[] self = selfNsPids();
        if (self.length == 1) {
            return pid;
        }
        int level = self.length - 1; // the JVM's namespace, counted from /proc's
        try (DirectoryStream<Path> all = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : all) {
                long[] ns = nsPids(p.resolve("status").toString());
                if (ns.length > level && ns[level] == pid) {
                    return Long.parseLong(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return -1;
    }

    /**
     * The pid in the JVM's pid namespace of the process {@code /proc} shows as {@code procPid}, or -1
     * when it is gone or not in the JVM's pid namespace.
     */
    public static long toJvm(long procPid) {
        long[] self = selfNsPids();
        if (self.length == 1) {
            return procPid;
        }
        long[] ns = nsPids("/proc/" + procPid + "/status");
        return ns.length >= self.length ? ns[self.length - 1] : -1;
    }

    /** This process's {@code NSpid}; its one pid where the kernel writes no such line (before 4.1). */
    private static long[] selfNsPids() {
        long[] ns = selfNs;
        if (ns == null) { // read once: which /proc is mounted here is not expected to change
            long self = self();
            ns = nsPids("/proc/" + self + "/status");
            ns = ns.length == 0 ? new long[] {self} : ns;
            selfNs = ns;
        }
        return ns;
    }

    /** The {@code NSpid} line's pids of a status file; none when it cannot be read. */
    private static long[] nsPids(String status) {
        try {
            for (String line : Files.readAllLines(Path.of(status))) {
                if (line.startsWith("NSpid:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    long[] pids = new long[f.length];
                    for (int i = 0; i < f.length; i++) {
                        pids[i] = Long.parseLong(f[i]);
                    }
                    return pids;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return new long[0];
    }
}
