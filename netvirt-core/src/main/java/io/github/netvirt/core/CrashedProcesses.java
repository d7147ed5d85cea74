package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.internal.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processes a crash record lists as started detached ({@link Cleaner}'s part for them): ended
 * where they are still the recorded ones in the recorded namespace, and those found holding a
 * namespace whose name a cleanup removes named.
 */
final class CrashedProcesses {
    private static final System.Logger LOG = System.getLogger(Cleaner.class.getName());

    private CrashedProcesses() {}

    /**
     * Ends the processes the record lists as started detached (a detached topology's) that are still
     * the same processes (pid and start time) in the namespace the record names for them (its cookie;
     * one elsewhere is reported and left running), with their descendants, as a closing topology ends
     * its started ones: before the namespaces lose their names, so none is left holding one unnamed.
     * One outside this JVM's pid namespace cannot be signalled from here (a cleaner in a pid namespace
     * of its own that sees the machine's /proc): it is reported and left running. Returns false if one
     * survived (reported; the record is kept for a cleaner that reaches it).
     */
    static boolean endStarted(RecordEntry e, String owner, List<String> removed, List<String> leftAlone) {
        boolean complete = true;
        Map<Long, String> startTimes = new LinkedHashMap<>();
        Map<Long, Long> pidfsInodes = new LinkedHashMap<>();
        Map<Long, RecordEntry.Started> ending = new LinkedHashMap<>();
        Map<Long, String> found = new LinkedHashMap<>();
        for (RecordEntry.Started p : e.processes()) {
            if (!alive(p)) {
                continue;
            }
            String process = "process " + p.pid() + " (" + commandOf(p.pid()) + ")";
            // pid and start time are not proof where the cleaner reads another pid namespace's /proc
            // (the owner's lock is there for that case) or the record was not written by netvirt: the
            // process must also be in the namespace the record names (read again after the start time)
            if (!running(p)) {
                if (alive(p)) {
                    Cleaner.leave(
                            leftAlone,
                            process + owner + ": not in " + namespaceOf(e, p.cookie())
                                    + ", where the record says it was started; left running");
                }
                continue;
            }
            // the record's pids are /proc's: one outside this JVM's pid namespace (and those below it)
            // has no pid here, and the kernel refuses to signal it through a pidfd too
            if (ProcPids.toJvm(p.pid()) <= 0) {
                if (alive(p)) {
                    complete = false;
                    Cleaner.leave(
                            leftAlone,
                            process + " in " + namespaceOf(e, p.cookie()) + owner
                                    + ": outside this JVM's pid namespace, where no signal reaches it from; left"
                                    + " running, the record is kept");
                }
                continue;
            }
            startTimes.put(p.pid(), p.startTime());
            if (p.pidfsInode() != 0) {
                pidfsInodes.put(p.pid(), p.pidfsInode());
            }
            ending.put(p.pid(), p);
            found.put(p.pid(), process + " in " + namespaceOf(e, p.cookie()));
        }
        if (found.isEmpty()) {
            return complete;
        }
        Set<Long> ran = NetNamespace.endProcessesByProcPid(startTimes, pidfsInodes);
        for (Map.Entry<Long, String> f : found.entrySet()) {
            if (alive(ending.get(f.getKey()))) {
                complete = false;
                Cleaner.leave(leftAlone, f.getValue() + owner + ": still running after SIGKILL; the record is kept");
            } else if (ran.contains(f.getKey())) {
                removed.add(f.getValue());
                LOG.log(System.Logger.Level.INFO, "ended {0}{1}", f.getValue(), owner);
            }
        }
        return complete;
    }

    /**
     * Whether the recorded process still runs (the same pid and start time) in the namespace the
     * record names for it: one {@link #endStarted} ends.
     */
    static boolean running(RecordEntry.Started p) {
        return alive(p) && inNamespace(p.pid(), p.cookie()) && alive(p); // read again: the namespace was that process's
    }

    /**
     * Whether the recorded process still runs: the process of its pid has its start time and, where
     * the record gives its pidfs inode and pidfds have such inodes, that inode (the one proof against
     * a process given the pid in the clock tick the recorded one started). One outside this JVM's pid
     * namespace is told by pid and start time.
     */
    private static boolean alive(RecordEntry.Started p) {
        if (!Owner.alive(p.pid(), p.startTime())) {
            return false;
        }
        long jvm = p.pidfsInode() == 0 ? -1 : ProcPids.toJvm(p.pid());
        if (jvm <= 0) {
            return true;
        }
        int pidfd = Sys.pidfdOf(jvm);
        if (pidfd == Sys.PIDFD_REFUSED) {
            return true;
        }
        if (pidfd == Sys.NO_SUCH_PROCESS) {
            return false;
        }
        try {
            long inode = Sys.pidfsInode(pidfd);
            // read again, and the pidfd's process still running: it had the pid when they were read
            return (inode == 0 || inode == p.pidfsInode())
                    && Owner.alive(p.pid(), p.startTime())
                    && ProcPids.toJvm(p.pid()) == jvm
                    && !Sys.pidfdExited(pidfd);
        } finally {
            Sys.closeQuietly(pidfd);
        }
    }

    /** Whether process {@code pid}'s network namespace is the one of {@code cookie}. */
    private static boolean inNamespace(long pid, long cookie) {
        try (NetNamespace ns = NetNamespace.ofProcess(pid)) {
            return ns.cookie() == cookie;
        } catch (RuntimeException goneOrUnreadable) {
            return false;
        }
    }

    /**
     * "" when no process is inside the recorded namespace {@code n}, else what its name leaves behind:
     * " (name removed; the namespace lives on, held by pid PID (COMMAND), ...)". Those processes were
     * not started through the topology, so they are not ended (see {@link #endStarted}).
     */
    static String heldBy(RecordEntry.Ns n) {
        List<String> holders = new ArrayList<>();
        try (NetNamespace ns = NetNamespace.open(n.name())) {
            if (ns.cookie() != n.cookie()) {
                return "";
            }
            for (ProcessHandle h : ns.processesInside()) {
                if (h.pid() != ProcessHandle.current().pid()) { // processesInside: the JVM's numbering
                    holders.add("pid " + h.pid() + " (" + commandOf(h) + ")");
                }
            }
        } catch (RuntimeException unreadable) {
            return ""; // gone meanwhile, or /proc unreadable: the name is removed all the same
        }
        return holders.isEmpty()
                ? ""
                : " (name removed; the namespace lives on, held by " + String.join(", ", holders) + ")";
    }

    /** The file name of the program process {@code pid} runs, as /proc numbers it; "?" once it has exited. */
    private static String commandOf(long pid) {
        try {
            String exe =
                    Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
            return exe.substring(exe.lastIndexOf('/') + 1).replace(" (deleted)", "");
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    private static String commandOf(ProcessHandle h) {
        return h.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?");
    }

    /** "netns NAME" for a namespace of the record by cookie, else "namespace cookie COOKIE". */
    private static String namespaceOf(RecordEntry e, long cookie) {
        for (RecordEntry.Ns n : e.namespaces()) {
            if (n.cookie() == cookie) {
                return "netns " + n.name();
            }
        }
        return "namespace cookie " + Long.toUnsignedString(cookie);
    }
}
