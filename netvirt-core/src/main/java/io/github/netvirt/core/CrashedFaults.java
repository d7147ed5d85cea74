package io.github.netvirt.core;

import io.github.netvirt.netlink.Filter;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Qdisc;
import io.github.netvirt.netlink.TcHandle;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.nftables.Family;
import io.github.netvirt.netlink.nftables.NftHandle;
import io.github.netvirt.netlink.nftables.Table;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.Errno;
import java.util.List;

/**
 * The faults of netvirt-faults a crash record lists ({@link Cleaner}'s part for them): a root qdisc
 * and a port mirror are removed, a cut device set up again, only where the kernel's handles and the
 * record's note prove them the fault's; a fault's nft table is reported, never deleted.
 */
final class CrashedFaults {
    private static final System.Logger LOG = System.getLogger(Cleaner.class.getName());

    private CrashedFaults() {}

    /** "root qdisc KIND HANDLE of device INDEX (...)". */
    private static String describe(RecordEntry.RootQdisc q) {
        return "root qdisc " + q.kind() + " " + Long.toHexString(q.handle() >>> 16) + ": of device " + q.index() + " "
                + RecordReach.where(q.cookie(), q.netns(), q.pid());
    }

    /** "device NAME (ifindex INDEX) cut (...)". */
    private static String describe(RecordEntry.CutLink c) {
        return "device " + c.name() + " (ifindex " + c.index() + ") cut "
                + RecordReach.where(c.cookie(), c.netns(), c.pid());
    }

    /** The qdisc {@code q} stands for, as the heal deletes it ({@link NetlinkHandle#qdiscDelIfSame}). */
    private static Qdisc qdiscOf(RecordEntry.RootQdisc q) {
        return new Qdisc(q.index(), (int) q.handle(), TcHandle.ROOT, q.kind(), null);
    }

    /**
     * Deletes a root qdisc netvirt-faults put on a device of a namespace the topology did not own, as
     * its heal does: by its recorded device, handle and kind, only in the namespace of the recorded
     * cookie ({@link NetlinkHandle#qdiscDelIfSame}: another root qdisc there now, or none, is left
     * alone). One whose handle was never recorded (a kill before that line: before the add, or after
     * it for a netvirt that wrote the handle its add echoed) is reported when the device has a root
     * qdisc of its kind, and left alone; so is one whose recorded handle no fault is given
     * ({@link #faultHandle}): a planted record's. Returns false, the record to be
     * kept, when the recorded way to the namespace leads nowhere or elsewhere ({@link #unreached}).
     */
    static boolean removeQdisc(RecordEntry.RootQdisc q, String owner, List<String> removed, List<String> leftAlone) {
        if (q.handle() != 0 && !faultHandle(q.handle())) {
            Cleaner.leave(
                    leftAlone,
                    describe(q) + owner + ": not a handle a fault's root qdisc is given (8000: to fffe:):"
                            + " left alone");
            return true;
        }
        try (NetNamespace ns = RecordReach.namespaceOf(q.cookie(), q.netns(), q.pid())) {
            if (ns == null) {
                return RecordReach.unreached(q.cookie(), q.netns(), q.pid(), describe(q), owner, leftAlone);
            }
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                if (q.handle() == 0) {
                    if (h.qdiscList().stream()
                            .anyMatch(x -> x.index() == q.index()
                                    && x.parent() == TcHandle.ROOT
                                    && x.kind().equals(q.kind()))) {
                        Cleaner.leave(
                                leftAlone,
                                describe(q) + owner + ": its handle was never recorded (killed before that line),"
                                        + " and its kind is no proof: left alone");
                    }
                    return true;
                }
                if (h.qdiscDelIfSame(qdiscOf(q))) {
                    removed.add(describe(q));
                    LOG.log(System.Logger.Level.INFO, "removed {0}{1}", describe(q), owner);
                }
                return true;
            }
        }
    }

    /**
     * Whether {@code handle} is one a fault's root qdisc is given: {@code 8000:} to {@code fffe:}, the
     * majors the kernel gives a qdisc added without one ({@code qdisc_alloc_handle}), from which the
     * fault chooses its own (a netvirt before it let the kernel choose); any other was chosen by
     * someone else.
     */
    private static boolean faultHandle(long handle) {
        long major = handle >>> 16;
        return (handle & 0xffff) == 0 && major >= 0x8000 && major <= 0xfffe;
    }

    /**
     * Whether the root qdisc {@code q} is still on its device (by handle and kind): true when its
     * namespace cannot be reached by the recorded way (nothing proves it gone), false when it cannot
     * be told otherwise.
     */
    static boolean qdiscThere(RecordEntry.RootQdisc q) {
        if (q.handle() == 0 || !faultHandle(q.handle())) {
            return false;
        }
        try (NetNamespace ns = RecordReach.namespaceOf(q.cookie(), q.netns(), q.pid())) {
            if (ns == null) {
                return RecordReach.mayLiveOn(q.netns(), q.pid());
            }
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                return h.qdiscList().stream()
                        .anyMatch(x -> x.index() == q.index()
                                && x.parent() == TcHandle.ROOT
                                && x.handle() == (int) q.handle()
                                && x.kind().equals(q.kind()));
            }
        }
    }

    /** "mirror of device INDEX to device TO (...)". */
    private static String describe(RecordEntry.Mirror m) {
        return "mirror of device " + m.index() + " to device " + m.to() + " (ingress qdisc, u32 filter pref "
                + m.priority() + " fh 0x" + Long.toHexString(m.handle()) + ") "
                + RecordReach.where(m.cookie(), m.netns(), m.pid());
    }

    /** The ingress qdisc of {@code m}'s device, as {@link NetlinkHandle#qdiscCreate} returned it to the fault. */
    private static Qdisc ingressOf(RecordEntry.Mirror m) {
        return new Qdisc(m.index(), TcHandle.INGRESS_QDISC, TcHandle.INGRESS, "ingress", null);
    }

    /**
     * The filter {@code m} stands for, as {@link NetlinkHandle#filterCreate} returned it to the fault
     * and a dump lists it: on the ingress qdisc, protocol all, u32, its one action an egress mirror
     * carrying the recorded cookie.
     */
    private static Filter filterOf(RecordEntry.Mirror m) {
        return new Filter(
                m.index(),
                TcHandle.INGRESS_QDISC,
                (int) m.handle(),
                m.priority(),
                Nl.ETH_P_ALL,
                "u32",
                List.of(new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, m.to(), m.actionCookie())));
    }

    /**
     * Deletes a mirror netvirt-faults put on a device of a namespace the topology did not own, as its
     * heal does ({@link NetlinkHandle#filterDelWithQdiscIfSame}), only in the namespace of the recorded
     * cookie: the recorded filter (priority, u32 handle, action cookie, as {@link Filter#isSame} tells:
     * the device mirrored to deleted since, or made again, changes nothing) if the device's ingress
     * qdisc still holds it, with the qdisc when it holds no other filter. An ingress
     * qdisc without that filter (someone else's, or the mirror's with the filter deleted) is left
     * alone. One whose filter's handle was never recorded (a kill between the filter's add and that
     * line) is the one filter of the mirror's form that carries the recorded action cookie. Of which no
     * filter carries it (a kill between the two adds), the ingress qdisc is deleted when it carries the
     * mark the mirror made it with (a size table holding the action cookie's first eight bytes,
     * {@link Qdisc.SizeTable#marking}) and holds no filter; with filters someone added since it stays.
     * One whose action cookie was never recorded (a line of a netvirt before it wrote it), or whose
     * device's ingress qdisc carries neither the filter nor the mark (someone else's, or a bare one of
     * a netvirt before it marked them), is reported, and left alone with its record (returns false)
     * until the device has no ingress qdisc: its handle {@code ffff:}, and a filter like the mirror's,
     * are no proof. Returns false, too, when the
     * recorded way to the namespace leads nowhere or elsewhere ({@link #unreached}).
     */
    static boolean removeMirror(RecordEntry.Mirror m, String owner, List<String> removed, List<String> leftAlone) {
        try (NetNamespace ns = RecordReach.namespaceOf(m.cookie(), m.netns(), m.pid())) {
            if (ns == null) {
                return RecordReach.unreached(m.cookie(), m.netns(), m.pid(), describe(m), owner, leftAlone);
            }
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                Filter filter = m.actionCookie().isEmpty() ? null : marked(h, m);
                if (filter == null) {
                    Qdisc ingress = ingressQdisc(h, m);
                    if (ingress == null) {
                        return true; // nothing of it left (or the device gone)
                    }
                    if (isMarked(ingress, m)) {
                        // the mirror's own qdisc, its filter never added (a kill between the adds) or deleted
                        // since: it goes when nothing hangs on it, and stays with filters someone added
                        if (filtersOn(h, m).isEmpty() && h.qdiscDelIfSame(ingressOf(m))) {
                            removed.add(describe(m) + ": its ingress qdisc, without the filter");
                            LOG.log(
                                    System.Logger.Level.INFO,
                                    "removed {0}{1}: its ingress qdisc, without the filter",
                                    describe(m),
                                    owner);
                        }
                        return true;
                    }
                    if (m.handle() != 0 && !m.actionCookie().isEmpty()) {
                        return true; // its filter gone: the ingress qdisc is someone else's, or bare by their doing
                    }
                    Cleaner.leave(
                            leftAlone,
                            describe(m)
                                    + owner
                                    + (m.actionCookie().isEmpty()
                                            ? ": its action's cookie was not recorded (a netvirt before it marked"
                                                    + " its mirrors), and a filter like it is no proof"
                                            : ": no filter carries its action's cookie, and the device's ingress"
                                                    + " qdisc does not carry its mark (someone else's, or one a"
                                                    + " netvirt before it marked them made)")
                                    + ": left alone; the record is kept until the device has no ingress qdisc");
                    return false;
                }
                if (h.filterDelWithQdiscIfSame(ingressOf(m), filter)) {
                    removed.add(describe(m));
                    LOG.log(System.Logger.Level.INFO, "removed {0}{1}", describe(m), owner);
                }
                return true;
            }
        }
    }

    /**
     * The mirror filter of {@code m} on its device's ingress qdisc, proven by its action's cookie: the
     * recorded handle's, or, when the handle's line was never written (a kill after the filter's add),
     * the one filter of the mirror's form carrying that cookie; null if none (or the device or its
     * ingress qdisc is gone).
     */
    private static Filter marked(NetlinkHandle h, RecordEntry.Mirror m) {
        List<Filter> there = filtersOn(h, m);
        for (Filter f : there) {
            if ((m.handle() == 0 || f.handle() == (int) m.handle())
                    && f.isSame(filterOf(new RecordEntry.Mirror(
                            m.cookie(),
                            m.index(),
                            m.priority(),
                            m.to(),
                            m.netns(),
                            m.pid(),
                            Integer.toUnsignedLong(f.handle()),
                            m.actionCookie())))) {
                return f;
            }
        }
        return null;
    }

    /** The ingress qdisc of {@code m}'s device, or null. */
    private static Qdisc ingressQdisc(NetlinkHandle h, RecordEntry.Mirror m) {
        return h.qdiscList().stream()
                .filter(x -> x.index() == m.index()
                        && x.parent() == TcHandle.INGRESS
                        && x.kind().equals("ingress"))
                .findFirst()
                .orElse(null);
    }

    /** The filters on the ingress qdisc of {@code m}'s device; none when the device or its ingress qdisc is gone. */
    private static List<Filter> filtersOn(NetlinkHandle h, RecordEntry.Mirror m) {
        try {
            return h.filterList(m.index(), TcHandle.INGRESS_QDISC);
        } catch (NetlinkException ex) {
            if (ex.isNoDevice() || ex.is(Errno.ENOENT) || ex.is(Errno.EINVAL)) {
                return List.of(); // the device or its ingress qdisc is gone
            }
            throw ex;
        }
    }

    /**
     * Whether {@code q} carries the mark {@code PortMirror} makes the mirror's ingress qdisc with: a size
     * table holding the first bytes of the action cookie recorded before the adds
     * ({@link Qdisc.SizeTable#marking}). An ingress qdisc carries nothing else of its maker's.
     */
    private static boolean isMarked(Qdisc q, RecordEntry.Mirror m) {
        return !m.actionCookie().isEmpty()
                && Qdisc.SizeTable.marking(m.actionCookie()).equals(q.stab());
    }

    /**
     * Whether the filter of mirror {@code m} is still on its device's ingress qdisc: true when its
     * namespace cannot be reached by the recorded way (nothing proves it gone), false when it cannot
     * be told otherwise.
     */
    static boolean mirrorThere(RecordEntry.Mirror m) {
        if (m.actionCookie().isEmpty()) {
            return false;
        }
        try (NetNamespace ns = RecordReach.namespaceOf(m.cookie(), m.netns(), m.pid())) {
            if (ns == null) {
                return RecordReach.mayLiveOn(m.netns(), m.pid());
            }
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                if (marked(h, m) != null) {
                    return true;
                }
                Qdisc ingress = ingressQdisc(h, m);
                return ingress != null
                        && isMarked(ingress, m)
                        && filtersOn(h, m).isEmpty();
            }
        }
    }

    /**
     * The device a cut set down, if it is still down: the device of the recorded ifindex in the
     * namespace of the recorded cookie, if it still has the recorded name; else null. An ifindex is
     * not given again in a namespace until the counter wraps, but it can be (a device made with
     * {@code ip link add ... index N} after the cut one was deleted), and a device of the cut's is down
     * also when someone else set it down since: ifindex, name and state are all that is compared.
     */
    private static Link downed(NetlinkHandle h, RecordEntry.CutLink c) {
        return h.linkGet(c.index())
                .filter(l -> l.name().equals(c.name()) && !l.isUp())
                .orElse(null);
    }

    /**
     * Sets a device a cut set down up again (and has the kernel finish that, as a heal does:
     * {@link NetlinkHandle#linkUp}), only in the namespace of the recorded cookie and only if the
     * device of that ifindex still has the recorded name and is down ({@link #downed}). It gives back
     * what the kernel makes on up (IPv4 prefix routes, link-local addresses), not the other routes
     * through the device nor the global IPv6 addresses the down took: those only the heal restores
     * ({@code DownedLink}), from what it noted in the JVM. A device gone (ENODEV) has nothing to set up.
     * Returns false, the record to be kept, when the recorded way to the namespace leads nowhere or
     * elsewhere ({@link #unreached}).
     */
    static boolean setUp(RecordEntry.CutLink c, String owner, List<String> removed, List<String> leftAlone) {
        try (NetNamespace ns = RecordReach.namespaceOf(c.cookie(), c.netns(), c.pid())) {
            if (ns == null) {
                return RecordReach.unreached(c.cookie(), c.netns(), c.pid(), describe(c), owner, leftAlone);
            }
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                if (downed(h, c) == null) {
                    return true;
                }
                try {
                    h.linkUp(c.index());
                } catch (NetlinkException ex) {
                    if (!ex.isNoDevice()) {
                        throw ex;
                    }
                    return true;
                }
                removed.add(describe(c));
                LOG.log(System.Logger.Level.INFO, "set up {0}{1}", describe(c), owner);
                return true;
            }
        }
    }

    /**
     * Whether the device a cut set down is there, down, under its name: true when its namespace cannot
     * be reached by the recorded way (nothing proves it gone), false when it cannot be told otherwise.
     */
    static boolean cutThere(RecordEntry.CutLink c) {
        try (NetNamespace ns = RecordReach.namespaceOf(c.cookie(), c.netns(), c.pid())) {
            if (ns == null) {
                return RecordReach.mayLiveOn(c.netns(), c.pid());
            }
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                return downed(h, c) != null;
            }
        }
    }

    /** "nft table inet NAME (...)": a table, in what a cleanup reports. */
    private static String describe(RecordEntry.NftTable t) {
        return "nft table inet " + t.name() + " " + RecordReach.where(t.cookie(), t.netns(), t.pid());
    }

    /**
     * Whether {@code name} is one netvirt-faults gives a table in the JVM of pid {@code ownerPid}
     * ({@code FilterTable.newName}: {@code netvirt_fault_N_PID}), the owner of the record that lists it.
     */
    private static boolean faultTableName(String name, long ownerPid) {
        String tail = "_" + ownerPid;
        return name.startsWith("netvirt_fault_")
                && name.endsWith(tail)
                && name.length() > "netvirt_fault_".length() + tail.length()
                && name.substring("netvirt_fault_".length(), name.length() - tail.length())
                        .chars()
                        .allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * Reports a table netvirt-faults put in a namespace the topology did not own that is still there;
     * deletes none. Every fault table is owned by the netlink socket that made it
     * ({@code NFT_TABLE_F_OWNER}, Linux 5.12; netvirt-faults makes none without it), and the kernel
     * deletes it when that socket closes, at the latest with its owner's death: a table the record
     * names that is there after its owner died is no crashed fault's (another program's, made in its
     * place or named like it in a planted record), or it is owned by the socket still open in another
     * live process (inherited), which alone may delete it (EPERM for any other). Looked for by the
     * recorded handle (a namespace's tables are numbered upwards, a number never given again), else by
     * the name, in the namespace of the recorded cookie; one that cannot be reached any more is not
     * reported: its table went with its socket.
     */
    static void reportTable(RecordEntry.NftTable t, long ownerPid, String owner, List<String> leftAlone) {
        if (!faultTableName(t.name(), ownerPid)) {
            Cleaner.leave(
                    leftAlone,
                    describe(t) + owner + ": not a name netvirt-faults gives a table in that JVM: left alone");
            return;
        }
        try (NetNamespace ns = RecordReach.namespaceOf(t.cookie(), t.netns(), t.pid())) {
            if (ns == null) {
                if (t.netns() == null && t.pid() <= 0 && t.cookie() != RecordReach.rootCookie()) {
                    Cleaner.leave(
                            leftAlone,
                            describe(t) + owner + ": put in a namespace adopted through a handle, it"
                                    + " cannot be reached again");
                }
                return;
            }
            try (NftHandle nft = NftHandle.open(ns)) {
                Table there = t.handle() != 0
                        ? tableOfHandle(nft, t)
                        : nft.tables().stream()
                                .filter(x ->
                                        x.family() == Family.INET && x.name().equals(t.name()))
                                .findFirst()
                                .orElse(null);
                if (there != null) {
                    Cleaner.leave(
                            leftAlone,
                            describe(t) + owner + ": a table " + there.name() + " of "
                                    + (t.handle() != 0 ? "its handle" : "its name")
                                    + " is there after its owner died, and every fault table goes with the"
                                    + " socket that owns it: another's (or owned by a socket still open in a"
                                    + " live process), left alone");
                }
            }
        }
    }

    /** Whether the table {@code t} is still in its namespace (by its handle): false when it cannot be told. */
    static boolean tableThere(RecordEntry.NftTable t) {
        if (t.handle() == 0) {
            return false;
        }
        try (NetNamespace ns = RecordReach.namespaceOf(t.cookie(), t.netns(), t.pid())) {
            if (ns == null) {
                return false;
            }
            try (NftHandle nft = NftHandle.open(ns)) {
                Table there = tableOfHandle(nft, t);
                return there != null && there.name().equals(t.name());
            }
        }
    }

    /** The inet table of {@code t}'s recorded handle in {@code nft}'s namespace, whatever its name; null if none. */
    private static Table tableOfHandle(NftHandle nft, RecordEntry.NftTable t) {
        for (Table x : nft.tables()) {
            if (x.family() == Family.INET && x.handle() == t.handle()) {
                return x;
            }
        }
        return null;
    }
}
