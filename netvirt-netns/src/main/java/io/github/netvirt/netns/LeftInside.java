package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Processes and threads of this process still inside namespaces being closed.
 *
 * <p>Processes: code run by {@link NetNamespace#call} that starts a child with a plain {@link
 * ProcessBuilder} starts it inside (a child is born in its parent thread's namespace), and nothing
 * but the namespace's fd ties it to the handle. {@link #endProcesses} finds, in one pass over
 * {@code /proc}, the processes in the namespaces of one close, by their {@code /proc/PID/ns/net}
 * (device and inode: the namespace's identity, while the caller holds it open). Those this JVM made
 * (its descendants through the {@code /proc/PID/stat} parent chain, not started through a handle's
 * {@code start}, {@code startDetached} or {@code exec}, which their handles end or leave) in a
 * namespace netvirt made are ended as close ends a handle's processes; any other process found there
 * is only named.
 *
 * <p>Threads: threads of this process still inside namespaces being closed: threads the code run by {@link
 * NetNamespace#call} started (and JDK pools it used first) stay there and keep the namespace alive
 * after its handle is closed. Only namespaces whose resident threads ran code can have any (a thread
 * is born in its creator's namespace), and one pass over {@code /proc/self/task} looks for all the
 * namespaces of one close (and a few more within {@link #LOOK_AGAIN_MS} when it finds some). The
 * JVM's own namespace is never reported: every thread is in it, and Switcher holds it open anyway.
 */
final class LeftInside {
    private static final System.Logger LOG = System.getLogger(LeftInside.class.getName());
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final Path PROC = Path.of("/proc");
    private static final DirectoryStream.Filter<Path> PIDS =
            p -> !p.getFileName().toString().isEmpty()
                    && Character.isDigit(p.getFileName().toString().charAt(0));

    /** How long threads found inside are given to end before they are named, at most (ms). */
    private static final long LOOK_AGAIN_MS = 150;

    private LeftInside() {}

    /**
     * Ends the processes this JVM started inside the namespaces of {@code closing} that netvirt made
     * (see the class comment) and are still running: SIGTERM to them and their descendants, a grace
     * period, then SIGKILL, as close ends a handle's processes; logs a warning naming them, and one
     * naming any other process found inside (left alone). The caller holds each namespace open and
     * has stopped its resident threads; only namespaces whose residents ran code can have such
     * processes.
     */
    static void endProcesses(List<NetNamespace> closing) {
        Map<String, NetNamespace> byId = new HashMap<>();
        for (NetNamespace ns : closing) {
            // another open handle that ran code there may have started them: they are left to its close
            if (ns.made()
                    && ns.heldInode() != Switcher.ROOT_INODE
                    && !Residents.runningElsewhere(ns.heldInode(), closing)) {
                byId.put("net:[" + ns.heldInode() + "]", ns);
            }
        }
        if (byId.isEmpty()) {
            return;
        }
        Map<Long, String> ours = new LinkedHashMap<>();
        Map<NetNamespace, List<String>> ended = new LinkedHashMap<>();
        Map<NetNamespace, List<String>> others = new LinkedHashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(PROC, PIDS)) {
            for (Path proc : procs) {
                String id;
                try {
                    id = Files.readSymbolicLink(proc.resolve("ns/net")).toString();
                } catch (IOException gone) {
                    continue;
                }
                NetNamespace ns = byId.get(id);
                if (ns == null) {
                    continue;
                }
                long pid = Long.parseLong(proc.getFileName().toString());
                // only the process with this start time is signalled; its namespace is checked after
                String[] stat = ProcPids.stat(pid);
                if (stat == null || !sameNamespace(proc, ns)) {
                    continue;
                }
                switch (lineage(pid)) {
                    case OURS -> {
                        ours.put(pid, stat[19]);
                        ended.computeIfAbsent(ns, k -> new ArrayList<>()).add(describe(pid));
                    }
                    case OTHERS ->
                        others.computeIfAbsent(ns, k -> new ArrayList<>()).add(describe(pid));
                    case STARTED_THROUGH_A_HANDLE -> {} // its handle ends it, or leaves it (detached)
                }
            }
        } catch (IOException e) {
            return; // no /proc: nothing to tell
        }
        Processes.terminateRecorded(ours, Map.of()); // one grace period for all
        ended.forEach((ns, list) -> LOG.log(
                System.Logger.Level.WARNING,
                "{0} ({1}): ended processes this JVM started inside (a plain ProcessBuilder in code run by call()"
                        + " or @RunIn) that were still running at close(): {2}; start(ProcessBuilder) makes them the"
                        + " handle''s",
                ns,
                "net:[" + ns.heldInode() + "]",
                String.join(", ", list)));
        others.forEach((ns, list) -> LOG.log(
                System.Logger.Level.WARNING,
                "{0} ({1}): processes not this JVM''s are inside at close() and keep it alive (left alone): {2}",
                ns,
                "net:[" + ns.heldInode() + "]",
                String.join(", ", list)));
    }

    private enum Lineage {
        OURS,
        OTHERS,
        STARTED_THROUGH_A_HANDLE
    }

    /**
     * Whose {@code pid} is: this JVM's descendant, one started through a handle (or its descendant),
     * or another's; read up the {@code /proc/PID/stat} parent chain.
     */
    private static Lineage lineage(long pid) {
        long jvm = ProcPids.self(); // /proc's numbering: the parent chain is read there
        long p = pid;
        for (int depth = 0; depth < 4096 && p > 1; depth++) {
            if (p == jvm) {
                return pid == jvm ? Lineage.OTHERS : Lineage.OURS;
            }
            if (Processes.startedThroughAHandle(p)) {
                return Lineage.STARTED_THROUGH_A_HANDLE;
            }
            p = parent(p);
        }
        return Lineage.OTHERS;
    }

    /** The parent of {@code pid} ({@code /proc/PID/stat}'s 4th field), 0 if it has exited. */
    private static long parent(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 3); // comm may hold anything
            return Long.parseLong(f[1]);
        } catch (IOException | RuntimeException ended) {
            return 0;
        }
    }

    /** Whether {@code /proc/PID/ns/net} is {@code ns}'s namespace file: the same device and inode. */
    private static boolean sameNamespace(Path proc, NetNamespace ns) {
        try {
            Object dev = Files.getAttribute(proc.resolve("ns/net"), "unix:dev");
            Object ino = Files.getAttribute(proc.resolve("ns/net"), "unix:ino");
            Path held = Path.of("/proc/self/fd/" + ns.heldFd());
            return dev.equals(Files.getAttribute(held, "unix:dev")) && ino.equals(Files.getAttribute(held, "unix:ino"));
        } catch (IOException | RuntimeException ended) {
            return false;
        }
    }

    /** {@code PID "command line"}, the command line cut at 120 characters. */
    private static String describe(long pid) {
        String cmd;
        try {
            byte[] b = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            cmd = new String(b, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException ended) {
            cmd = "";
        }
        return pid + " \"" + (cmd.length() > 120 ? cmd.substring(0, 120) + "..." : cmd) + "\"";
    }

    /**
     * Logs a warning per namespace of {@code closing} that threads of this process are still in,
     * naming them. The caller holds each namespace open (so its inode cannot be another's meanwhile)
     * and has joined its resident threads (one that ignored the interrupt is named here too).
     */
    static void warn(List<NetNamespace> closing) {
        Map<String, NetNamespace> byId = new HashMap<>();
        Set<String> residents = new HashSet<>(); // joined already, yet still listed for a moment
        for (NetNamespace ns : closing) {
            if (ns.heldInode() == Switcher.ROOT_INODE) {
                continue; // the JVM's own namespace (root(), ofProcess(self)): every thread is in it, kept alive anyway
            }
            byId.put("net:[" + ns.heldInode() + "]", ns);
            ns.residentTids().forEach(t -> residents.add(Integer.toString(t)));
        }
        if (byId.isEmpty()) {
            return;
        }
        Map<String, List<String>> found = look(byId, residents);
        // a thread that is ending (the JDK HttpServer's idle-timeout-task after stop(0)) goes in a
        // few ms: look again a few times, up to LOOK_AGAIN_MS in all, before naming it
        for (long wait = 5, waited = 0; !found.isEmpty() && waited < LOOK_AGAIN_MS; waited += wait, wait *= 2) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                if (!Uninterrupted.holdBack()) { // in a teardown: held back, it looks again
                    Thread.currentThread().interrupt();
                    break; // name what was found
                }
            }
            found = look(byId, residents);
        }
        found.forEach((id, threads) -> LOG.log(
                System.Logger.Level.WARNING,
                "{0} ({1}): threads of this JVM are still inside after close() and keep it alive: {2} "
                        + "(threads started inside call() stay there, and so do JDK pools first used there)",
                byId.get(id),
                id,
                String.join(", ", threads)));
    }

    /** One pass over {@code /proc/self/task}: the threads in the namespaces of {@code byId}, but {@code residents}. */
    private static Map<String, List<String>> look(Map<String, NetNamespace> byId, Set<String> residents) {
        Map<String, List<String>> found = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                if (residents.contains(task.getFileName().toString())) {
                    continue;
                }
                String id;
                String comm;
                try {
                    id = Files.readSymbolicLink(task.resolve("ns/net")).toString();
                    if (!byId.containsKey(id)) {
                        continue;
                    }
                    comm = Files.readString(task.resolve("comm")).trim();
                } catch (IOException ended) {
                    continue;
                }
                // not filtered by name: a thread just born has its creator's (a resident's) until it runs
                found.computeIfAbsent(id, k -> new ArrayList<>()).add(task.getFileName() + " \"" + comm + "\"");
            }
        } catch (IOException e) {
            return Map.of(); // no /proc: nothing to tell
        }
        return found;
    }
}
