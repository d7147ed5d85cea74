package io.github.netvirt.core.spec;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.ProcPids;
import java.util.Objects;

/**
 * How a namespace that netvirt did not create is reached, for a topology that adopts it as a host:
 * by its name under {@code /run/netns} ({@code ip netns}), by the pid of a process in it
 * ({@code /proc/PID/ns/net}), or through an open {@link NetNamespace} of the caller's. Exactly one
 * of {@code netns}, {@code pid} (0 when unused) and {@code handle} is set. An adoption by pid names
 * the process that had the pid when it was made, by its {@code startTime} (field 22 of
 * {@code /proc/PID/stat}; null when there was no such process): once that process has exited, its
 * pid may be another process's, in another namespace, which is never adopted in its stead. The
 * topology never deletes or closes what it adopts: it opens a handle of its own at apply and removes
 * only the devices it made there.
 */
public record Adoption(String netns, long pid, String startTime, NetNamespace handle) {

    public Adoption {
        int set = (netns != null ? 1 : 0) + (pid != 0 ? 1 : 0) + (handle != null ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException("an adoption is by netns name, by pid or by handle: exactly one");
        }
        if (pid < 0) {
            throw new IllegalArgumentException("not a process id: " + pid);
        }
        if (startTime != null && pid == 0) {
            throw new IllegalArgumentException("a start time is a process's: only an adoption by pid has one");
        }
    }

    public static Adoption netns(String name) {
        return new Adoption(Objects.requireNonNull(name, "name"), 0, null, null);
    }

    /** The adoption of the process that has pid {@code pid} now (in the numbering of {@code /proc}). */
    public static Adoption pid(long pid) {
        String[] stat = pid > 0 ? ProcPids.stat(pid) : null;
        return new Adoption(null, pid, stat == null ? null : stat[19], null);
    }

    public static Adoption handle(NetNamespace ns) {
        return new Adoption(null, 0, null, Objects.requireNonNull(ns, "ns"));
    }

    /**
     * A new handle of the topology's own on the adopted namespace.
     *
     * @throws io.github.netvirt.netns.NetnsException if the name does not exist, or the namespace cannot be opened
     * @throws IllegalStateException if the adopted handle is closed, or the adopted process has exited
     *     ({@link #exited()})
     */
    public NetNamespace open() {
        if (netns != null) {
            return NetNamespace.open(netns);
        }
        if (pid == 0) {
            return handle.reopen();
        }
        requireRunning();
        NetNamespace ns = NetNamespace.ofProcess(pid);
        try {
            // the process may have exited and its pid gone to another while /proc/PID was opened
            requireRunning();
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /**
     * Why the process an adoption by pid names is not there any more, or null while it runs (and for
     * the other kinds): it has exited, its pid perhaps another process's now, or there was none.
     */
    public String exited() {
        if (pid == 0) {
            return null;
        }
        String[] stat = ProcPids.stat(pid);
        if (startTime == null) {
            return stat == null
                    ? "there is no process " + pid
                    : "there was no process " + pid + " when it was adopted (the one that has its pid now is another)";
        }
        String exited = "process " + pid + " that adoptPid named has exited";
        if (stat != null && !stat[19].equals(startTime)) {
            return exited + " (its pid now belongs to another process)";
        }
        return ProcPids.alive(pid, startTime) ? null : exited;
    }

    private void requireRunning() {
        String why = exited();
        if (why != null) {
            throw new IllegalStateException(why);
        }
    }

    /** How iproute2 names it after {@code netns} ({@code ip link add ... netns X}), or null if it cannot. */
    public String iproute2() {
        if (netns != null) {
            return netns;
        }
        if (pid != 0) {
            return Long.toString(pid);
        }
        return handle.name().orElse(null);
    }

    @Override
    public String toString() {
        // the same text whatever becomes of the handle: plans are compared by their commands
        return netns != null
                ? "netns " + netns
                : pid != 0
                        ? "pid " + pid
                        : "handle" + handle.name().map(n -> " on netns " + n).orElse(" (unnamed)");
    }
}
