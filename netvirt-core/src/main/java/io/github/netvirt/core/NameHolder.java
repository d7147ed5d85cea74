package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NameState;
import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whose is a name an apply found taken (EEXIST), for its message: the topology whose crash record
 * the kernel confirms holds it (a namespace by its cookie, a root-namespace device by its group; a
 * name a live owner is giving its namespace, by the file's inode number), else that it is free again
 * (its holder gave it back meanwhile), else that no record proves whose it is. Records are untrusted
 * input: one that does not parse says nothing. Within one JVM, an apply never gets here for a name
 * another apply or change of it is taking ({@link NameClaims}).
 */
final class NameHolder {
    private NameHolder() {}

    /**
     * Whose is the name step {@code s} wanted: a device in a namespace the topology made or adopted
     * ({@code res}), else as the records tell for a namespace or a root device; null when {@code s}
     * takes no name netvirt records.
     */
    static String of(Step s, Resources res) {
        String foreign = takenOutsideRoot(s, res);
        return foreign != null ? foreign : of(s);
    }

    /**
     * The end of a device {@code s} makes in a namespace other than the root whose name a device
     * there has now: in one the topology made, someone else's (a description names a device once,
     * and a change that removes one cannot declare it again), made since the namespace was; in an
     * adopted one, the namespace's own or another topology's. Null when there is none.
     */
    private static String takenOutsideRoot(Step s, Resources res) {
        if (!(s.op() instanceof LinkAddStep add)) {
            return null;
        }
        DeviceSpec d = add.device();
        List<DeviceSpec> ends = d.isVeth() ? List.of(d, add.spec().device(d.peerNs(), d.peerName())) : List.of(d);
        for (DeviceSpec end : ends) {
            NamespaceSpec n = add.spec().namespace(end.ns());
            NetlinkHandle h = res.handles.get(end.ns());
            if (n.root() || h == null || h.linkGet(end.name()).isEmpty()) {
                continue;
            }
            if (n.adopted()) {
                return "device " + end.qualifiedName() + " is taken: adopted namespace " + TopologySpec.label(end.ns())
                        + " has a device of that name (its own, or another topology's), and the topology adds"
                        + " its devices there only under names free in it";
            }
            return "device " + end.qualifiedName() + " is someone else's: a device of that name was made in"
                    + " namespace " + TopologySpec.label(end.ns()) + " since the topology made it";
        }
        return null;
    }

    /** Whose is the name step {@code s} wanted, or null when {@code s} takes no name netvirt records. */
    private static String of(Step s) {
        String ns = s.op() instanceof NsAddStep add ? add.namespace().kernelName() : null;
        String dev = RootDevices.createdBy(s);
        if (ns == null && dev == null) {
            return null;
        }
        String what = NameClaims.nameOf(s);
        RunDir dir = RunDir.current();
        try {
            RecordEntry e = ns != null ? holdingNamespace(dir, ns) : holdingRootDevice(dir, dev);
            if (e != null) {
                return owner(e, what);
            }
            if (ns != null ? !NetNamespace.exists(ns) : rootDevice(dev).isEmpty()) {
                // its holder gave it back since, or undid it after a failure of its own
                return what + " was taken, and is free again now";
            }
        } catch (RuntimeException unreadable) {
            // the message says what is known without it
        }
        return what + " is taken, and no crash record in " + dir
                + " proves whose it is: someone else's, or a dead netvirt owner's that Topology.cleanup()"
                + " (with the run directory that owner used) removes"
                + (Reaper.running() ? "; this JVM's netvirt reaper is still at work" : "");
    }

    private static String owner(RecordEntry e, String what) {
        String record = " (" + e.path().getFileName() + ")";
        if (e.ownerAlive()) {
            return what + " is held by a" + (e.kept() ? " detached" : "") + " netvirt topology of "
                    + (e.pid() == Owner.ownPid() ? "this process" : "pid " + e.pid())
                    + (e.kept() || e.pidAlive()
                            ? ", which is running"
                            // its lock is held, by no process of that pid here
                            : ", which holds its record's lock: running in another pid namespace, or being"
                                    + " removed by a cleanup right now")
                    + record;
        }
        if (e.kept()) {
            return what + " is held by a detached netvirt topology of pid " + e.pid() + ", no longer running" + record
                    + ": Topology.removeDetached() removes it";
        }
        return what + " is held by a netvirt topology of pid " + e.pid() + ", no longer running" + record
                + ": Topology.cleanup() removes it"
                + (Reaper.running() ? " (this JVM's netvirt reaper is still at work)" : "");
    }

    private static RecordEntry holdingNamespace(RunDir dir, String name) {
        for (RecordEntry e : entries(dir)) {
            for (RecordEntry.Ns n : e.namespaces()) {
                // or, for a live owner, the file it is giving the name to: the namespace is mounted
                // on it a moment later (a dead one's inode number may be another file's by now)
                if (n.name().equals(name)
                        && (NetNamespace.nameState(name, n.cookie()) == NameState.SAME
                                || n.file() != null && NetNamespace.isNameFile(name, n.file()) && e.ownerAlive())) {
                    return e;
                }
            }
        }
        return null;
    }

    private static Optional<Link> rootDevice(String name) {
        try (NetNamespace root = NetNamespace.root();
                NetlinkHandle h = NetlinkHandle.open(root)) {
            return h.linkGet(name);
        }
    }

    private static RecordEntry holdingRootDevice(RunDir dir, String name) {
        Optional<Link> l = rootDevice(name);
        if (l.isEmpty() || l.get().group() == 0) {
            return null;
        }
        long cookie = RecordReach.rootCookie();
        for (RecordEntry e : entries(dir)) {
            if (e.thisBoot()
                    && e.root() != null
                    && e.root().cookie() == cookie
                    && e.root().group() == l.get().group()) {
                return e;
            }
        }
        return null;
    }

    private static List<RecordEntry> entries(RunDir dir) {
        List<RecordEntry> out = new ArrayList<>();
        for (RunDir.RecordFile f : dir.records(new ArrayList<>())) {
            try {
                out.add(RecordParser.parse(f.path(), f.lines()));
            } catch (IllegalArgumentException refused) {
                // says nothing about whose the name is
            }
        }
        return out;
    }
}
