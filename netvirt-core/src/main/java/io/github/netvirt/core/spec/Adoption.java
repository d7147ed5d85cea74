package io.github.netvirt.core.spec;

import io.github.netvirt.netns.NetNamespace;
import java.util.Objects;

/**
 * How a namespace that netvirt did not create is reached, for a topology that adopts it as a host:
 * by its name under {@code /run/netns} ({@code ip netns}), by the pid of a process in it
 * ({@code /proc/PID/ns/net}), or through an open {@link NetNamespace} of the caller's. Exactly one
 * of {@code netns}, {@code pid} (0 when unused) and {@code handle} is set. The topology never
 * deletes or closes what it adopts: it opens a handle of its own at apply and removes only the
 * devices it made there.
 */
public record Adoption(String netns, long pid, NetNamespace handle) {

    public Adoption {
        int set = (netns != null ? 1 : 0) + (pid != 0 ? 1 : 0) + (handle != null ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException("an adoption is by netns name, by pid or by handle: exactly one");
        }
        if (pid < 0) {
            throw new IllegalArgumentException("not a process id: " + pid);
        }
    }

    public static Adoption netns(String name) {
        return new Adoption(Objects.requireNonNull(name, "name"), 0, null);
    }

    public static Adoption pid(long pid) {
        return new Adoption(null, pid, null);
    }

    public static Adoption handle(NetNamespace ns) {
        return new Adoption(null, 0, Objects.requireNonNull(ns, "ns"));
    }

    /**
     * A new handle of the topology's own on the adopted namespace.
     *
     * @throws io.github.netvirt.netns.NetnsException if the name or the process does not exist (any more)
     * @throws IllegalStateException if the adopted handle is closed
     */
    public NetNamespace open() {
        if (netns != null) {
            return NetNamespace.open(netns);
        }
        if (pid != 0) {
            return NetNamespace.ofProcess(pid);
        }
        return handle.reopen();
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
