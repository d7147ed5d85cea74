package io.github.netvirt.core;

import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.NetnsException;
import io.github.netvirt.netns.internal.FileStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * How the namespaces a crash record names are found again: the namespace this JVM started in (its
 * cookie, and the way a cleaner in another namespace reaches it, a record's reach), the one a
 * record's reach leads to, proven by the recorded cookie, and what a cleanup says of one it does
 * not reach ({@link Cleaner}'s part for them).
 */
final class RecordReach {
    private static volatile long rootCookie;
    private static volatile String rootReach;

    private RecordReach() {}

    /** The cookie of the namespace this JVM started in. */
    static long rootCookie() {
        long c = rootCookie;
        if (c == 0) {
            try (NetNamespace root = NetNamespace.root()) {
                c = root.cookie();
            }
            rootCookie = c;
        }
        return c;
    }

    /**
     * How a cleaner in another namespace reaches the one this JVM started in (a crash record's reach):
     * "netns NAME" when a name under /run/netns holds it, else "pid 1" when it is the namespace of
     * pid 1, else "-". Found once, and again when the name found no longer holds it (removed, or
     * given to another namespace, while this JVM runs); the cleaner proves it by the cookie anyway.
     */
    static String rootReach() {
        String r = rootReach;
        if (r == null || r.startsWith("netns ") && !holdsThisJvms(RecordFields.unescape(r.substring(6)))) {
            r = findRootReach();
            rootReach = r;
        }
        return r;
    }

    /** Whether {@code /run/netns/NAME} holds the namespace this JVM started in. */
    private static boolean holdsThisJvms(String name) {
        try {
            return sameFile(
                    FileStat.of("/proc/self/ns/net", true),
                    NetNamespace.nameFile(name).toString());
        } catch (IOException e) {
            return false;
        }
    }

    private static String findRootReach() {
        FileStat self;
        try {
            self = FileStat.of("/proc/self/ns/net", true);
        } catch (IOException e) {
            return "-";
        }
        // a name first: pid 1 is another process for a cleaner in another pid namespace (a container
        // sharing /run/netns and the run directory), a name under /run/netns is the same for both
        List<String> names;
        try {
            names = NetNamespace.list();
        } catch (UncheckedIOException e) {
            names = List.of(); // /run/netns cannot be read: no cleaner finds a name there either
        }
        for (String name : names) {
            // the namespace this JVM is in cannot die meanwhile: its nsfs inode proves it
            if (Names.namespaceProblem(name) == null
                    && sameFile(self, NetNamespace.nameFile(name).toString())) {
                return "netns " + RecordFields.escape(name);
            }
        }
        return sameFile(self, "/proc/1/ns/net") ? "pid 1" : "-";
    }

    private static boolean sameFile(FileStat a, String path) {
        try {
            FileStat b = FileStat.of(path, true);
            return a.isSameFile(b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The namespace the root devices of {@code r} were made in, proven by its cookie, or null when this
     * JVM cannot reach it: the record names no way, or the way now leads nowhere or elsewhere.
     */
    static NetNamespace rootOf(RecordEntry.Root r) {
        if (r.cookie() == rootCookie()) {
            return NetNamespace.root();
        }
        return reached(r.cookie(), r.netns(), r.pid());
    }

    /**
     * The namespace a record's reach ({@code netns}, else {@code pid}) leads to, if it has the recorded
     * {@code cookie}; null when there is no way, or the way now leads nowhere or elsewhere.
     */
    private static NetNamespace reached(long cookie, String netns, long pid) {
        if (netns == null && pid <= 0) {
            return null;
        }
        NetNamespace ns;
        try {
            ns = netns != null ? NetNamespace.open(netns) : NetNamespace.ofProcess(pid);
        } catch (NetnsException gone) {
            return null; // the namespace may live on without the name: nothing proves it gone
        }
        boolean proven = false;
        try {
            proven = ns.cookie() == cookie;
            return proven ? ns : null;
        } finally {
            if (!proven) {
                ns.close(); // also when the cookie cannot be read (an interrupt): the fd would hold the namespace
            }
        }
    }

    /**
     * The namespace of cookie {@code cookie} (one the topology did not own: adopted, or a fault's): the
     * root namespace of this JVM, or the one the reach ({@code netns}, else {@code pid}) leads to; null
     * when there is no way to it, or the way leads nowhere or elsewhere.
     */
    static NetNamespace namespaceOf(long cookie, String netns, long pid) {
        return cookie == rootCookie() ? NetNamespace.root() : reached(cookie, netns, pid);
    }

    /**
     * Reports {@code what}, the topology's devices in an adopted namespace or a fault's part, in the
     * namespace of {@code cookie} that {@link #namespaceOf} did not reach. Returns false, the record to
     * be kept, when the record names a way to it: the name removed or the process gone (or either now
     * of another namespace) proves nothing about the namespace, which lives on as long as anything
     * holds it (another name, a process, a bind mount, an open fd), and with it what was put there. No
     * way (a namespace adopted through a handle): no cleaner will ever reach it, the record goes.
     */
    static boolean unreached(long cookie, String netns, long pid, String what, String owner, List<String> leftAlone) {
        if (netns == null && pid <= 0) {
            Cleaner.leave(
                    leftAlone,
                    what + owner + ": put in a namespace adopted through a handle, it cannot be reached again");
            return true;
        }
        Cleaner.leave(
                leftAlone,
                what + owner + ": " + (netns != null ? "netns " + netns : "pid " + pid)
                        + " no longer leads to namespace cookie " + Long.toUnsignedString(cookie)
                        + ", and nothing proves that namespace gone; the record is kept (delete its file by hand once"
                        + " you know that namespace is gone)");
        return false;
    }

    /** "(root namespace | netns N | namespace of pid P | namespace cookie C)": where a fault was, in what a cleanup reports. */
    static String where(long cookie, String netns, long pid) {
        return "("
                + (cookie == rootCookie()
                        ? "root namespace"
                        : netns != null
                                ? "netns " + netns
                                : pid > 0
                                        ? "namespace of pid " + pid
                                        : "namespace cookie " + Long.toUnsignedString(cookie))
                + ")";
    }

    /**
     * Whether a namespace the recorded way ({@code netns}, else {@code pid}) no longer leads to may live
     * on all the same: whenever there is a way (a name removed or a process gone proves nothing).
     */
    static boolean mayLiveOn(String netns, long pid) {
        return netns != null || pid > 0;
    }
}
