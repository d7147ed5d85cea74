package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.Await;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * The processes started through one {@link NetNamespace} handle: how they are started inside, and
 * how they end.
 *
 * <p><b>Starting.</b> The command runs as {@code setpriv --pdeathsig KILL -- nsenter
 * --net=/proc/JVM/fd/NSFD -- MOUNTS COMMAND} (util-linux; {@code MOUNTS} is the
 * {@link ProcessMounts} wrapper that gives it its own mount namespace with the namespace's
 * {@code /sys} and {@code /etc} files, then execs it), forked by the {@link Launcher} thread, which lives
 * in the JVM's namespace as long as the JVM. The JVM never forks from a switched thread, so no JDK
 * thread is born inside a namespace. {@code start()} returns only once the child is inside the
 * namespace (its {@code /proc/PID/ns/net} is the target, or it has already exec'd the command, which
 * {@code nsenter} does only after {@code setns}, or it has exited), and the namespace fd stays open
 * until then: {@code nsenter} opens it by number after the fork, and a number closed meanwhile could
 * be reused by another namespace.
 *
 * <p><b>Ending with the JVM.</b> The parent-death signal (SIGKILL) fires when the forking thread dies,
 * and the launcher thread dies only with the JVM: so the started process is killed when the JVM
 * exits, however it exits (kill -9 included). Chosen over a child subreaper (the orphans would go
 * to init when the JVM dies anyway) and over pidfds held by the JVM (nothing is left to use them
 * after a kill -9). Limits: the signal reaches the started process only, not processes it forked
 * (those are reparented and live on unless the started process takes them down); a set-uid/set-gid
 * or file-capability binary clears it on exec. A JVM killed between the fork and setpriv's
 * {@code prctl} leaves nothing either: nsenter runs after the {@code prctl} and opens the namespace
 * through the JVM's {@code /proc/PID/fd}, which a dead JVM no longer has, so it fails and exits.
 *
 * <p><b>Ending with the handle.</b> {@link #end} (from {@link NetNamespace#close()} and
 * {@link NetNamespace#endProcesses}) sends SIGTERM to every owned process still running and to its
 * descendants found then through {@code /proc} (children, their children, ...), waits up to
 * {@link #GRACE} for all of them to exit, then stops what remains (SIGSTOP), including descendants
 * forked during the grace period and up to the stop, sends it SIGKILL and waits for it (up to
 * {@link #KILL_WAIT}). Processes that left
 * the tree before (re-parented to init by a double fork) are not found. Detached processes
 * ({@code startDetached}) get neither signal and no parent-death signal.
 */
final class Processes {
    /** How long ended processes get between SIGTERM and SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(1);
    /** How long {@link #end} waits for processes to disappear after SIGKILL before it gives up and logs. */
    static final Duration KILL_WAIT = Duration.ofSeconds(2);
    /** How long the processes stopped before their SIGKILL get, at most, to stop (all of them together). */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);
    /** How long a child may take to enter its namespace (a stopped or starved child) before start() fails. */
    private static final Duration ENTER_TIMEOUT = Duration.ofSeconds(10);

    private static final System.Logger LOG = System.getLogger(Processes.class.getName());
    /**
     * Every process started through a handle ({@link #start}, owned or detached), while it runs: its
     * start time by its pid, as {@code /proc} numbers both. {@link LeftInside} leaves them and their
     * descendants to their handles.
     */
    private static final Map<Long, String> STARTED = new ConcurrentHashMap<>();

    private final NetNamespace ns;
    /** The handle's own /etc files for processes started from now on (see {@link ProcessMounts}). */
    private volatile Map<String, String> etcFiles = Map.of();
    /** Owned processes, in start order; exited ones are pruned lazily. Guarded by this. */
    private final List<Process> owned = new ArrayList<>();
    /** Processes started detached, in start order: not ended here, only listed. Guarded by this. */
    private final List<Process> detached = new ArrayList<>();

    private boolean closed;

    Processes(NetNamespace ns) {
        this.ns = ns;
    }

    /**
     * Starts {@code builder}'s command inside the namespace. An owned process is tracked and ended by
     * {@link #end}, and dies with the JVM; a detached one is neither. Either is ended, and
     * IllegalStateException thrown, when the handle is closed while it starts.
     */
    Process start(ProcessBuilder builder, boolean detached) throws IOException {
        synchronized (builder) { // its command is swapped for the wrapped one during the start
            List<String> original = builder.command();
            List<String> command = List.copyOf(original);
            if (command.isEmpty()) {
                throw new IllegalArgumentException("empty command");
            }
            for (int i = 0; i < command.size(); i++) {
                if (command.get(i).indexOf('\0') >= 0) {
                    throw new IllegalArgumentException(
                            "word " + i + " of the command contains a NUL character, which no"
                                    + " process can be given: " + Names.printable(command.get(i)));
                }
            }
            Programs.checkRunnable(builder, command.get(0));
            ensureOpen();
            Process p;
            try {
                p = startInside(builder, command, detached);
            } finally {
                builder.command(original);
            }
            synchronized (this) {
                // checked again: a handle closed meanwhile has been let go of (a detached topology
                // records the detached list once its handles are closed), so the process is refused
                if (!closed) {
                    List<Process> list = detached ? this.detached : owned;
                    list.removeIf(o -> !o.isAlive());
                    list.add(p);
                    return p;
                }
            }
            terminate(List.of(p));
            throw new IllegalStateException(
                    ns + " was closed while " + command + " was starting: the process was ended");
        }
    }

    /**
     * The one place that uses the namespace fd: a {@link NetNamespace#hold()} keeps it open until the
     * child has entered the namespace (nsenter opens {@code /proc/JVM/fd/N} after {@code start()}).
     */
    private Process startInside(ProcessBuilder builder, List<String> command, boolean detached) throws IOException {
        try (NetNamespace.Hold hold = ns.hold()) {
            int fd = hold.fd();
            long inode = ns.inode();
            String target = "net:[" + inode + "]";
            List<String> nsenter = new ArrayList<>(command.size() + 16);
            nsenter.add(Programs.NSENTER);
            nsenter.add("--net=/proc/" + ProcPids.self() + "/fd/" + fd); // read by nsenter, in /proc's numbering
            nsenter.add("--");
            nsenter.addAll(ProcessMounts.wrap(ns.name().orElse(null), etcFiles, command));
            List<String> wrapped = new ArrayList<>(nsenter.size() + 4);
            if (!detached) {
                wrapped.addAll(List.of(Programs.SETPRIV, "--pdeathsig", "KILL", "--"));
            }
            wrapped.addAll(nsenter);
            builder.command(wrapped);
            Process p;
            try {
                p = Launcher.call(builder::start);
            } catch (IOException e) {
                throw new IOException(
                        "cannot start " + command + " inside " + ns
                                + " (netvirt runs it through setpriv and nsenter from util-linux)",
                        e);
            }
            // by /proc's pid and start time: the JDK's own handle reads /proc by the JVM's pid, another
            // process's entry where /proc numbers otherwise (one that has exited already is not kept)
            long proc = ProcPids.of(p.pid());
            String[] stat = proc > 0 ? ProcPids.stat(proc) : null;
            if (stat != null) {
                String start = stat[19];
                STARTED.put(proc, start);
                p.onExit().thenRun(() -> STARTED.remove(proc, start)); // the JDK's reaper, no polling
            }
            // the child is forked in the JVM's namespace: being there proves nothing when that is the target
            awaitEntered(p, inode == Switcher.ROOT_INODE ? null : target, command);
            return p;
        }
    }

    /**
     * Waits until {@code p} is inside {@code target} (null: the namespace it started in, so only what
     * follows counts), or runs the command (nsenter execs it only after setns), or has exited
     * (nsenter's error is then on its stderr, its exit code non-zero).
     */
    private void awaitEntered(Process p, String target, List<String> command) throws IOException {
        long deadline = System.nanoTime() + ENTER_TIMEOUT.toNanos();
        long proc = ProcPids.of(p.pid()); // -1: reaped already (it exited)
        long pause = TimeUnit.MICROSECONDS.toNanos(50);
        boolean interrupted = false;
        try {
            while (true) {
                if (target != null
                                && target.equals(read(() -> Files.readSymbolicLink(Path.of("/proc/" + proc + "/ns/net"))
                                        .toString()))
                        || !p.isAlive()) {
                    return;
                }
                if (proc > 0 && runsCommand(proc, command)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new IOException(command + " did not enter " + ns + " within " + ENTER_TIMEOUT.toSeconds()
                            + " s; it was killed");
                }
                LockSupport.parkNanos(pause);
                interrupted |= Thread.interrupted(); // the wait is short and bounded: finish it
                pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(1));
            }
        } finally {
            if (interrupted) {
                Uninterrupted.setAgain();
            }
        }
    }

    /**
     * Whether the process has exec'd the command or the mounts wrapper, which nsenter does only
     * after setns: its executable is no longer setpriv, nsenter or the JDK's spawn helper ({@code /proc/PID/exe}
     * changes atomically at exec; {@code cmdline} read during an exec can mix the old and new
     * arguments, so it is trusted only when the command itself is one of those programs and two
     * reads agree).
     */
    private static boolean runsCommand(long pid, List<String> command) {
        String exe = read(
                () -> Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString());
        if (exe == null) {
            return false;
        }
        String file = exe.substring(exe.lastIndexOf('/') + 1).replace(" (deleted)", ""); // replaced by an upgrade
        if (!file.equals("setpriv") && !file.equals("nsenter") && !file.equals("jspawnhelper")) {
            return true;
        }
        String expected = String.join("\0", command) + "\0";
        Path cmdline = Path.of("/proc/" + pid + "/cmdline");
        return expected.equals(read(() -> Files.readString(cmdline)))
                && expected.equals(read(() -> Files.readString(cmdline)));
    }

    private interface Read {
        String get() throws IOException;
    }

    private static String read(Read r) {
        try {
            return r.get();
        } catch (IOException e) {
            return null; // the process is gone, or is a zombie
        }
    }

    /** Sets (or, with a null content, removes) one of the handle's /etc files. */
    synchronized void etcFile(String name, String content) {
        ProcessMounts.check(name, content);
        if (content != null) {
            ProcessMounts.checkOnMachine(name);
        }
        if (etcFiles.isEmpty() || etcFiles.size() == 1 && etcFiles.containsKey(name)) {
            etcFiles = content == null ? Map.of() : Map.of(name, content); // a topology's one file: no TreeMap
            return;
        }
        Map<String, String> files = new TreeMap<>(etcFiles);
        if (content == null) {
            files.remove(name);
        } else {
            files.put(name, content);
        }
        etcFiles = Collections.unmodifiableMap(files);
    }

    Map<String, String> etcFiles() {
        return etcFiles;
    }

    /** The owned processes still running, in start order. */
    synchronized List<ProcessHandle> list() {
        return running(owned);
    }

    /** The processes started detached that still run, in start order. */
    synchronized List<ProcessHandle> detached() {
        return running(detached);
    }

    private static List<ProcessHandle> running(List<Process> processes) {
        processes.removeIf(p -> !p.isAlive());
        List<ProcessHandle> handles = new ArrayList<>(processes.size());
        for (Process p : processes) {
            handles.add(p.toHandle());
        }
        return handles;
    }

    /**
     * Whether {@code proc} (as {@code /proc} numbers it) is a process started through a handle (owned
     * or detached) that still runs: by its start time too, so that a process given its pid since is not.
     */
    static boolean startedThroughAHandle(long proc) {
        String start = STARTED.get(proc);
        return start != null && ProcPids.alive(proc, start);
    }

    /** Ends this handle's processes and refuses new ones: for {@link NetNamespace#close()}. */
    void close() {
        List<Process> roots;
        synchronized (this) {
            closed = true;
            if (owned.isEmpty()) {
                return; // most namespaces never start a process
            }
            roots = new ArrayList<>(owned);
            owned.clear();
        }
        terminate(roots);
    }

    /** Ends the owned processes of every group at once: one grace period for all of them. */
    static void end(Collection<Processes> groups) {
        List<Process> roots = new ArrayList<>();
        for (Processes g : groups) {
            synchronized (g) {
                roots.addAll(g.owned);
                g.owned.clear();
            }
        }
        terminate(roots);
    }

    private synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(ns + " is closed");
        }
    }

    /** SIGTERM to the processes and their descendants, {@link #GRACE}, then SIGKILL to what is left. */
    private static void terminate(List<Process> roots) {
        Set<Target> targets = new LinkedHashSet<>();
        for (Process p : roots) {
            Target t = Target.ofJvm(p.pid(), p::isAlive); // not reaped yet: the pid is still its
            if (t != null && !targets.add(t)) {
                t.close();
            }
        }
        terminate(roots, targets);
    }

    /**
     * Ends processes this JVM may not have started (found again by pid and start time: a
     * {@link ProcessHandle} signals only the process that started then) as {@link #terminate(List)}
     * does; returns those that were running.
     */
    static List<ProcessHandle> terminateHandles(Collection<ProcessHandle> roots) {
        List<ProcessHandle> running = new ArrayList<>(roots.size());
        Set<Target> targets = new LinkedHashSet<>();
        for (ProcessHandle h : roots) {
            // the JDK reads /proc/PID by the JVM's pid: the handle's own check holds where /proc numbers alike
            Target t = Target.ofJvm(h.pid(), () -> !ProcPids.sameAsJvm() || h.isAlive());
            if (t != null) {
                running.add(h);
                if (!targets.add(t)) {
                    t.close();
                }
            }
        }
        terminate(List.of(), targets);
        return running;
    }

    /**
     * Ends the processes {@code /proc} shows as the keys of {@code startTimes}, each only while it is
     * the one that started at its value (field 22 of {@code /proc/PID/stat}) and, for a pid in
     * {@code pidfsInodes}, whose pidfd has that inode where pidfds have inodes of their own (pidfs), as
     * {@link #terminate(List)} does; returns the pids of those that were running in the JVM's pid
     * namespace or one below it. The others cannot be signalled from here, by any pid or pidfd: they
     * are left alone.
     */
    static Set<Long> terminateRecorded(Map<Long, String> startTimes, Map<Long, Long> pidfsInodes) {
        Set<Long> running = new LinkedHashSet<>();
        Set<Target> targets = new LinkedHashSet<>();
        for (Map.Entry<Long, String> e : startTimes.entrySet()) {
            Target t = Target.ofProc(
                    e.getKey(), pidfsInodes.getOrDefault(e.getKey(), 0L), stat -> stat[19].equals(e.getValue()));
            if (t != null) {
                running.add(e.getKey());
                targets.add(t);
            }
        }
        terminate(List.of(), targets);
        return running;
    }

    /**
     * {@code roots}: this JVM's children among {@code targets}, waited for through the JDK's reaper.
     * Closes the targets, and those found on the way.
     */
    private static void terminate(List<Process> roots, Set<Target> targets) {
        Set<Target> all = new LinkedHashSet<>();
        try {
            signalAll(roots, targets, all);
        } finally {
            targets.forEach(Target::close);
            all.forEach(Target::close);
        }
    }

    private static void signalAll(List<Process> roots, Set<Target> targets, Set<Target> all) {
        for (Target t : targets) {
            if (!t.gone()) {
                all.add(t);
                descendants(t, all);
            }
        }
        if (all.isEmpty()) {
            return;
        }
        beforeSignals.accept(pids(all));
        all.forEach(t -> t.signal(LibC.SIGTERM));
        if (awaitGone(roots, all, GRACE)) {
            return;
        }
        List<Target> stubborn = stop(all);
        LOG.log(
                System.Logger.Level.DEBUG,
                "{0} process(es) still running {1} ms after SIGTERM: SIGKILL {2}",
                stubborn.size(),
                GRACE.toMillis(),
                pids(stubborn));
        stubborn.forEach(t -> t.signal(LibC.SIGKILL));
        if (!awaitGone(roots, stubborn, KILL_WAIT)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "processes {0} still exist {1} ms after SIGKILL",
                    pids(stubborn.stream().filter(t -> !t.gone()).toList()),
                    KILL_WAIT.toMillis());
        }
    }

    /**
     * Stops (SIGSTOP) the processes of {@code all} still running and those they forked since they were
     * found, also during the grace period and by a descendant whose root has exited, until none is
     * new: a stopped process forks no more, so that the SIGKILL that follows reaches every one, where
     * a process forking up to its own SIGKILL left its last children running. Returns them.
     */
    private static List<Target> stop(Set<Target> all) {
        Set<Target> stopped = new LinkedHashSet<>();
        Set<Target> walked = new HashSet<>();
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (true) {
            for (Target t : List.copyOf(all)) {
                if (!stopped.contains(t) && !t.gone()) {
                    stopped.add(t);
                    if (!t.signal(LibC.SIGSTOP)) {
                        walked.add(t); // no stop to wait for: its children are read now
                        descendants(t, all);
                    }
                }
            }
            // a process forks until it has stopped (one inside fork() finishes it first; one not yet
            // scheduled runs on): its children are read once it has, or once the wait has run out
            boolean late = System.nanoTime() - deadline > 0;
            boolean waiting = false;
            for (Target t : List.copyOf(stopped)) {
                if (walked.contains(t)) {
                    continue;
                }
                if (late || t.gone() || stopped(t.proc())) {
                    descendants(t, all);
                    walked.add(t);
                } else {
                    waiting = true;
                }
            }
            if (!waiting
                    && stopped.containsAll(all.stream().filter(t -> !t.gone()).toList())) {
                return List.copyOf(stopped);
            }
            if (waiting) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    /** Whether no thread of process {@code proc} (as /proc numbers it) runs any more: stopped, traced or exited. */
    private static boolean stopped(long proc) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + proc + "/task"))) {
            for (Path task : tasks) {
                char state = state(read(() -> Files.readString(task.resolve("stat"))));
                if (state != 0 && "TtZX".indexOf(state) < 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UncheckedIOException e) {
            return true; // exited
        }
    }

    /**
     * Adds the descendants of {@code t} to {@code out}, read from {@code /proc/PID/task/TID/children}
     * (a walk of the tree only; {@link ProcessHandle#descendants()} reads every process on the machine).
     * A pid read from a children file, or a parent's, may be another process's by the time it is
     * used (the process exited, and its pid was given again): a child is taken only as {@link
     * #listedChild} tells, and a parent's lists only if it is still the same process once its
     * children have been read.
     */
    private static void descendants(Target t, Set<Target> out) {
        List<Target> parents = new ArrayList<>(List.of(t));
        for (int i = 0; i < parents.size(); i++) {
            Target parent = parents.get(i);
            long listedFrom = ProcPids.ticksSinceBoot();
            List<Long> listed = new ArrayList<>();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + parent.proc() + "/task"))) {
                for (Path task : tasks) {
                    String children = read(() -> Files.readString(task.resolve("children")));
                    if (children == null || children.isBlank()) {
                        continue;
                    }
                    for (String child : children.trim().split(" ")) {
                        listed.add(Long.parseLong(child));
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                // the process has just exited: its children are found under init, or not at all
            }
            afterListing.accept(parent.proc());
            List<Target> children = new ArrayList<>(listed.size());
            for (long c : listed) {
                Target d = Target.ofProc(
                        c,
                        0,
                        stat -> listedChild(
                                Long.parseLong(stat[19]), Long.parseLong(stat[1]), parent.proc(), listedFrom));
                if (d != null) {
                    children.add(d);
                }
            }
            // a parent that has exited (and was reaped) may have had its pid given again before its
            // lists were read: they, and the parent ids checked, may be a stranger's. Its own children
            // were reparented when it exited; those found by an earlier walk are in out still, the
            // others are lost as they are when a parent exits before its lists are read at all
            if (!parent.same()) {
                children.forEach(Target::close);
                continue;
            }
            for (Target d : children) {
                if (out.add(d)) {
                    parents.add(d);
                } else {
                    d.close(); // found before
                }
            }
        }
    }

    /**
     * Whether the process found at a pid that process {@code parent}'s children file listed, read
     * from clock tick {@code listedFrom} on ({@link ProcPids#ticksSinceBoot}), is a child of
     * {@code parent} (if that is still the same process once this is read): one started at
     * {@code start} before that tick is the child listed (a process given its pid after that child
     * exited started after the file was read, in that tick or a later one); one whose parent is
     * {@code ppid} = {@code parent} is its child in any case (forked since). A child that was
     * reparented (to a subreaper, or when the parent exited) is known by its start time only.
     */
    static boolean listedChild(long start, long ppid, long parent, long listedFrom) {
        return start < listedFrom || ppid == parent;
    }

    /** A test's seam: run with the pids of the processes found to end, before the first is signalled. */
    static volatile Consumer<List<Long>> beforeSignals = pids -> {};

    /** A test's seam: run with a parent's pid once its children files are read, before their stat files are. */
    static volatile LongConsumer afterListing = parent -> {};

    private static List<Long> pids(Collection<Target> targets) {
        return targets.stream().map(Target::jvm).toList();
    }

    /** Waits for the roots (woken by the JDK's reaper), then polls the rest (not our children). */
    private static boolean awaitGone(List<Process> roots, Collection<Target> targets, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            for (Process p : roots) {
                while (true) {
                    try {
                        p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // bounded: finish the wait
                    }
                }
            }
            while (true) {
                if (targets.stream().allMatch(Target::gone)) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                interrupted |= Thread.interrupted();
            }
        } finally {
            if (interrupted) {
                Uninterrupted.setAgain();
            }
        }
    }

    /**
     * A process to end: its pid in the JVM's pid namespace ({@code jvm}, what signals it), and in
     * {@code /proc}'s ({@code proc}, where its {@code start} time is read). They differ where the JVM is
     * in a pid namespace of its own that sees the machine's /proc; there the JDK's {@link ProcessHandle}
     * reads another process's /proc entry. It is held by a pidfd opened before anything about it is
     * read (closed by {@link #close}): pid and start time alone do not tell it from a process given its
     * pid in the clock tick it started. Where the kernel refuses pidfds (before Linux 5.3, a seccomp
     * filter, no fd left) it is told by pid and start time, as the only way left.
     */
    private static final class Target implements AutoCloseable {
        private final long jvm;
        private final long proc;
        private final String start;
        /** {@link Sys#PIDFD_REFUSED} where the kernel refused it; closed by {@link #close}. */
        private int pidfd;

        private Target(long jvm, long proc, String start, int pidfd) {
            this.jvm = jvm;
            this.proc = proc;
            this.start = start;
            this.pidfd = pidfd;
        }

        long jvm() {
            return jvm;
        }

        long proc() {
            return proc;
        }

        /** The process the JVM numbers {@code jvm}, if it runs and {@code stillIt} after its start time is read. */
        static Target ofJvm(long jvm, BooleanSupplier stillIt) {
            long proc = ProcPids.of(jvm);
            int pidfd = proc < 0 ? Sys.NO_SUCH_PROCESS : Sys.pidfdOf(jvm);
            if (pidfd == Sys.NO_SUCH_PROCESS) {
                return null;
            }
            String[] stat = ProcPids.stat(proc);
            Target t = new Target(jvm, proc, stat == null ? null : stat[19], pidfd);
            // the pidfd names the process that had the pid when it was opened: stillIt (not reaped)
            // after it, and the process still running after the reads, make them all that process's
            if (stat == null || ProcPids.toJvm(proc) != jvm || !stillIt.getAsBoolean() || t.gone()) {
                t.close();
                return null;
            }
            return t;
        }

        /**
         * The process {@code /proc} numbers {@code proc}, if it runs (and its {@link ProcPids#stat}
         * fields pass {@code it}, and it has the {@link Sys#pidfsInode} {@code pidfsInode} unless that
         * is 0 or the kernel has none) in the JVM's pid namespace or one below it: a process outside
         * them has no pid there, and a pidfd of it is refused by pidfd_send_signal (EINVAL).
         */
        static Target ofProc(long proc, long pidfsInode, Predicate<String[]> it) {
            long jvm = ProcPids.toJvm(proc);
            int pidfd = jvm <= 0 ? Sys.NO_SUCH_PROCESS : Sys.pidfdOf(jvm);
            if (pidfd == Sys.NO_SUCH_PROCESS) {
                return null;
            }
            long inode = pidfsInode == 0 || pidfd < 0 ? 0 : Sys.pidfsInode(pidfd);
            if (inode != 0 && inode != pidfsInode) {
                Sys.closeQuietly(pidfd);
                return null;
            }
            String[] stat = ProcPids.stat(proc);
            Target t = new Target(jvm, proc, stat == null ? null : stat[19], pidfd);
            // read again after the pid, where that is another file's: that pid is this process's.
            // The process of the pidfd still running after the reads had the pid all along
            if (stat == null
                    || "ZX".contains(stat[0])
                    || !it.test(stat)
                    || !ProcPids.sameAsJvm() && ProcPids.toJvm(proc) != jvm
                    || t.gone()) {
                t.close();
                return null;
            }
            return t;
        }

        /** Whether its pid is still its own: it runs, or is a zombie not reaped yet. */
        boolean same() {
            if (pidfd >= 0) {
                return !Sys.pidfdReaped(pidfd);
            }
            String[] stat = ProcPids.stat(proc);
            return stat != null && stat[19].equals(start);
        }

        /** Exited, or a zombie (dead, waiting for a parent that is not the JVM to reap it). */
        boolean gone() {
            return pidfd >= 0 ? Sys.pidfdExited(pidfd) : !ProcPids.alive(proc, start);
        }

        /**
         * Sends {@code signal} through its pidfd: never to a process given its pid since. Where the
         * kernel refuses pidfds the JDK's {@code kill} sends SIGTERM and SIGKILL (where /proc numbers
         * as the JVM does), SIGSTOP is not sent. Returns whether it went through the pidfd.
         */
        boolean signal(int signal) {
            if (pidfd >= 0) {
                try {
                    Sys.pidfdSignal(pidfd, signal);
                    return true;
                } catch (SyscallException refused) {
                    LOG.log(System.Logger.Level.DEBUG, "cannot signal process {0} through a pidfd: {1}", jvm, refused);
                }
            }
            if (signal != LibC.SIGSTOP && ProcPids.sameAsJvm()) {
                ProcessHandle.of(jvm)
                        .filter(h -> !gone())
                        .ifPresent(signal == LibC.SIGKILL ? ProcessHandle::destroyForcibly : ProcessHandle::destroy);
            }
            return false;
        }

        @Override
        public void close() {
            Sys.closeQuietly(pidfd);
            pidfd = -1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Target t && t.jvm == jvm && t.proc == proc && t.start.equals(start);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(proc) * 31 + start.hashCode();
        }
    }

    /** The state letter of a {@code /proc/.../stat} line ({@code R}, {@code S}, {@code T}, ...), 0 for none. */
    private static char state(String stat) {
        int close = stat == null ? -1 : stat.lastIndexOf(')'); // the command in parentheses may hold any byte
        return close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 0;
    }

    /**
     * Runs the command to completion. Its stdout and stderr are read by two threads the launcher starts
     * (born in the JVM's namespace), so that the caller only waits, and an interrupt reaches it there
     * (a blocking read of a pipe ignores interrupts). Ended in any other way (interrupted, an output
     * unreadable), the command does not outlive the call: its tree is ended as {@link #close()} does,
     * and the readers, which then see the end of their pipes, are joined.
     */
    ExecResult exec(ProcessBuilder builder) throws IOException, InterruptedException {
        Process p = start(builder, false);
        FutureTask<byte[]> out = new FutureTask<>(() -> readAll(p.getInputStream()));
        FutureTask<byte[]> err = new FutureTask<>(() -> readAll(p.getErrorStream()));
        List<Thread> readers = new ArrayList<>(2);
        boolean done = false;
        try {
            p.getOutputStream().close();
            Launcher.call(() -> {
                readers.add(reader(out, "netvirt-exec-stdout"));
                readers.add(reader(err, "netvirt-exec-stderr"));
                return null;
            });
            byte[] stdout = output(out);
            byte[] stderr = output(err);
            int code = waitFor(p);
            done = true;
            return new ExecResult(
                    code, new String(stdout, StandardCharsets.UTF_8), new String(stderr, StandardCharsets.UTF_8));
        } finally {
            if (!done) { // interrupted, or its output unreadable: the command does not outlive the call
                synchronized (this) {
                    owned.remove(p);
                }
                terminate(List.of(p));
                stopReaders(p, readers);
            }
        }
    }

    private static Thread reader(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** An exec's waits give up on an interrupt, but inside an {@link Uninterrupted} region (a heal, a teardown). */
    private static final Await.OnInterrupt GIVE_UP = first -> true;

    private static int waitFor(Process p) throws InterruptedException {
        try {
            return Await.outcome(p::waitFor, GIVE_UP);
        } catch (ExecutionException e) {
            throw new AssertionError("waitFor throws no ExecutionException", e);
        }
    }

    private static byte[] output(FutureTask<byte[]> reader) throws IOException, InterruptedException {
        try {
            return Await.outcome(reader::get, GIVE_UP);
        } catch (ExecutionException e) {
            throw Launcher.unwrap(e);
        }
    }

    /**
     * Joins the readers of an exec whose process tree was ended, up to {@link #KILL_WAIT}: a process
     * that left the tree (a double fork) may still hold a pipe, whose reader then blocks until it
     * closes it; the stream is closed under it, so the pipe's fd goes now. The interrupt status is kept.
     */
    private static void stopReaders(Process p, List<Thread> readers) {
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        boolean interrupted = false;
        for (Thread t : readers) {
            while (t.isAlive() && System.nanoTime() < deadline) {
                try {
                    TimeUnit.NANOSECONDS.timedJoin(t, Math.max(1, deadline - System.nanoTime()));
                } catch (InterruptedException e) {
                    interrupted = true; // bounded: finish the wait
                }
            }
        }
        for (InputStream in : List.of(p.getInputStream(), p.getErrorStream())) {
            try {
                in.close();
            } catch (IOException e) {
                // a pipe's close does not fail: nothing to release
            }
        }
        if (interrupted) {
            Uninterrupted.setAgain();
        }
    }
}
