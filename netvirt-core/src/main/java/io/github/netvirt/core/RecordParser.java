package io.github.netvirt.core;

import static io.github.netvirt.core.CrashRecord.MAGIC;
import static io.github.netvirt.core.RecordFields.actionCookie;
import static io.github.netvirt.core.RecordFields.digits;
import static io.github.netvirt.core.RecordFields.filterPriority;
import static io.github.netvirt.core.RecordFields.printable;
import static io.github.netvirt.core.RecordFields.qdiscHandle;
import static io.github.netvirt.core.RecordFields.qdiscKind;
import static io.github.netvirt.core.RecordFields.tableName;
import static io.github.netvirt.core.RecordFields.u32Node;
import static io.github.netvirt.core.RecordFields.unescape;

import io.github.netvirt.core.RecordEntry.Adopted;
import io.github.netvirt.core.RecordEntry.CutLink;
import io.github.netvirt.core.RecordEntry.Mirror;
import io.github.netvirt.core.RecordEntry.NftTable;
import io.github.netvirt.core.RecordEntry.Ns;
import io.github.netvirt.core.RecordEntry.OnDevice;
import io.github.netvirt.core.RecordEntry.Root;
import io.github.netvirt.core.RecordEntry.RootQdisc;
import io.github.netvirt.core.RecordEntry.Started;
import io.github.netvirt.netns.NameFile;
import io.github.netvirt.netns.Names;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads a crash record back from disk: its lines as {@link CrashRecord}'s javadoc describes them
 * (the format is written there, beside the code that writes it). A record is untrusted input
 * (another process's file): every line is checked and bounded before anything acts on it.
 */
final class RecordParser {
    private RecordParser() {}

    /** At most this many tables per record: a record is untrusted input, and each costs a cleaner a netlink exchange. */
    static final int MAX_TABLES = 4096;

    /** At most this many root qdiscs, this many mirrors and this many cuts, per record: as {@link #MAX_TABLES}. */
    static final int MAX_DEVICE_FAULTS = 4096;

    /** At most this many adopted namespaces per record: as {@link #MAX_TABLES}. */
    static final int MAX_ADOPTED = 4096;

    /**
     * Parses a record's complete lines. Every name is validated before it can reach a path. A torn
     * last line (a kill mid-write) is dropped by the caller; any other line that does not parse
     * makes the whole record untrustworthy.
     *
     * @throws IllegalArgumentException naming the first bad line
     */
    static RecordEntry parse(Path path, List<String> lines) {
        if (lines.isEmpty()) {
            // an empty file, killed before the header was written (RunDir refuses any other file without
            // a complete line): nothing was made yet; the owner is in the file name
            String[] f = path.getFileName().toString().split("-");
            return new RecordEntry(path, Long.parseLong(f[0]), f[1], false, "", null, List.of());
        }
        if (!lines.get(0).equals(MAGIC)) {
            throw new IllegalArgumentException("not a \"" + MAGIC + "\" record");
        }
        long pid = -1;
        String start = null;
        String boot = null;
        boolean kept = false;
        String topology = "";
        Root root = null;
        List<Ns> ns = new ArrayList<>();
        List<Adopted> adopted = new ArrayList<>();
        List<Started> processes = new ArrayList<>();
        List<NftTable> tables = new ArrayList<>();
        List<RootQdisc> qdiscs = new ArrayList<>();
        List<Long> qdiscNotes = new ArrayList<>(); // the NOTE of each of qdiscs
        long lastQdiscNote = 0;
        List<CutLink> cuts = new ArrayList<>();
        List<Mirror> mirrors = new ArrayList<>();
        List<Long> mirrorNotes = new ArrayList<>(); // the NOTE of each of mirrors
        boolean nsDeleted = false;
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            String[] f = l.split(" ", -1);
            try {
                switch (f[0]) {
                    case "owner" -> {
                        need(f, 3);
                        if (start != null) {
                            throw new IllegalArgumentException("a second owner");
                        }
                        pid = Long.parseLong(f[1]);
                        start = digits(f[2]);
                        if (pid <= 0) {
                            throw new IllegalArgumentException("pid " + pid);
                        }
                    }
                    case "boot" -> {
                        need(f, 2);
                        if (boot != null) {
                            throw new IllegalArgumentException("a second boot");
                        }
                        boot = Owner.checkBootId(f[1]);
                    }
                    case "topology" ->
                        topology = l.substring("topology".length()).trim();
                    case "root" -> {
                        if (f.length < 3) {
                            throw new IllegalArgumentException("3 to 5 fields expected, found " + f.length);
                        }
                        Adopted at = f.length == 3 // an older netvirt's: no reach
                                ? new Adopted(Long.parseUnsignedLong(f[1]), Integer.parseUnsignedInt(f[2]), null, 0)
                                : reached(f);
                        root = new Root(at.cookie(), DeviceGroups.drawn(at.group()), at.netns(), at.pid());
                    }
                    case "ns" -> {
                        need(f, 3);
                        long cookie = Long.parseUnsignedLong(f[1]);
                        if (cookie == 0) {
                            throw new IllegalArgumentException("cookie 0");
                        }
                        String name = Names.checkNamespace(unescape(f[2]));
                        // the file taken for the name first (ns-file), the namespace made after
                        int at = lastOf(ns, name);
                        if (at >= 0 && ns.get(at).cookie() == 0) {
                            ns.set(at, new Ns(cookie, ns.get(at).file(), name));
                        } else {
                            ns.add(new Ns(cookie, null, name));
                        }
                    }
                    case "ns-file" -> {
                        if (f.length != 3) {
                            need(f, 4); // an older netvirt wrote no birth time
                        }
                        long ino = Long.parseUnsignedLong(f[1]);
                        String name = Names.checkNamespace(unescape(f[2]));
                        long birth = f.length == 4 ? Long.parseLong(f[3]) : 0;
                        if (f.length == 4 && birth == 0) {
                            throw new IllegalArgumentException("birth time 0");
                        }
                        if (ino == 0) {
                            throw new IllegalArgumentException("inode 0");
                        }
                        // an older netvirt made the namespace first (its ns line before this one)
                        int at = lastOf(ns, name);
                        if (at >= 0 && ns.get(at).file() == null) {
                            ns.set(at, new Ns(ns.get(at).cookie(), new NameFile(ino, birth), name));
                        } else {
                            ns.add(new Ns(0, new NameFile(ino, birth), name));
                        }
                    }
                    case "ns-del" -> {
                        need(f, 3);
                        Ns gone = new Ns(Long.parseUnsignedLong(f[1]), null, unescape(f[2]));
                        if (!ns.removeIf(
                                n -> n.cookie() == gone.cookie() && n.name().equals(gone.name()))) {
                            throw new IllegalArgumentException("no namespace of that name recorded before");
                        }
                        nsDeleted = true;
                    }
                    case "adopted" -> {
                        if (f.length < 4) {
                            throw new IllegalArgumentException("4 or 5 fields expected, found " + f.length);
                        }
                        Adopted a = reached(f);
                        if (adopted.stream().anyMatch(b -> b.cookie() == a.cookie())) {
                            throw new IllegalArgumentException("namespace adopted before");
                        }
                        if (adopted.size() == MAX_ADOPTED) {
                            throw new IllegalArgumentException("more than " + MAX_ADOPTED + " adopted namespaces");
                        }
                        adopted.add(a);
                    }
                    case "process" -> {
                        if (f.length != 4 && f.length != 5) {
                            throw new IllegalArgumentException("4 or 5 fields expected, found " + f.length);
                        }
                        long p = Long.parseLong(f[1]);
                        if (p <= 0) {
                            throw new IllegalArgumentException("pid " + p);
                        }
                        long inode = f.length == 5 ? Long.parseUnsignedLong(f[4]) : 0;
                        if (f.length == 5 && (inode == 0 || !f[4].chars().allMatch(Character::isDigit))) {
                            throw new IllegalArgumentException("not a pidfs inode: " + f[4]);
                        }
                        processes.add(new Started(p, digits(f[2]), Long.parseUnsignedLong(f[3]), inode));
                    }
                    case "nft-table" -> {
                        if (f.length < 4) {
                            throw new IllegalArgumentException("4 or 5 fields expected, found " + f.length);
                        }
                        long cookie = Long.parseUnsignedLong(f[1]);
                        String name = tableName(f[2]);
                        Adopted at = reach(f, 3, cookie, 0);
                        if (table(tables, cookie, name) != null) {
                            throw new IllegalArgumentException("table recorded before");
                        }
                        if (tables.size() == MAX_TABLES) {
                            throw new IllegalArgumentException("more than " + MAX_TABLES + " tables");
                        }
                        tables.add(new NftTable(cookie, name, at.netns(), at.pid(), 0));
                    }
                    case "nft-table-handle" -> {
                        need(f, 4);
                        NftTable t = table(tables, Long.parseUnsignedLong(f[1]), tableName(f[2]));
                        long handle = Long.parseUnsignedLong(f[3]);
                        if (t == null || t.handle() != 0 || handle == 0) {
                            throw new IllegalArgumentException(
                                    t == null
                                            ? "no table of that name recorded before"
                                            : "handle recorded before, or 0");
                        }
                        tables.set(tables.indexOf(t), new NftTable(t.cookie(), t.name(), t.netns(), t.pid(), handle));
                    }
                    case "nft-table-del" -> {
                        need(f, 3);
                        NftTable t = table(tables, Long.parseUnsignedLong(f[1]), tableName(f[2]));
                        if (t == null) {
                            throw new IllegalArgumentException("no table of that name recorded before");
                        }
                        tables.remove(t);
                    }
                    case "qdisc" -> {
                        if (f.length < 6) {
                            throw new IllegalArgumentException("6 or 7 fields expected, found " + f.length);
                        }
                        long cookie = Long.parseUnsignedLong(f[1]);
                        int index = ifindex(f[2]);
                        long note = note(f[3]);
                        String kind = qdiscKind(f[4]);
                        Adopted at = reach(f, 5, cookie, 0);
                        if (note <= lastQdiscNote) {
                            throw new IllegalArgumentException("notes are numbered upwards");
                        }
                        lastQdiscNote = note;
                        if (qdiscs.size() == MAX_DEVICE_FAULTS) {
                            throw new IllegalArgumentException("more than " + MAX_DEVICE_FAULTS + " root qdiscs");
                        }
                        qdiscs.add(new RootQdisc(cookie, index, kind, at.netns(), at.pid(), 0));
                        qdiscNotes.add(note);
                    }
                    case "qdisc-handle" -> {
                        need(f, 5);
                        int q = noted(qdiscs, qdiscNotes, Long.parseUnsignedLong(f[1]), ifindex(f[2]), note(f[3]));
                        long handle = qdiscHandle(f[4]);
                        RootQdisc r = q < 0 ? null : qdiscs.get(q);
                        if (r == null || r.handle() != 0) {
                            throw new IllegalArgumentException(
                                    r == null
                                            ? "no root qdisc of that device and note recorded before"
                                            : "handle recorded before");
                        }
                        qdiscs.set(q, new RootQdisc(r.cookie(), r.index(), r.kind(), r.netns(), r.pid(), handle));
                    }
                    case "qdisc-del" -> {
                        need(f, 4);
                        int q = noted(qdiscs, qdiscNotes, Long.parseUnsignedLong(f[1]), ifindex(f[2]), note(f[3]));
                        if (q < 0) {
                            throw new IllegalArgumentException("no root qdisc of that device and note recorded before");
                        }
                        qdiscs.remove(q);
                        qdiscNotes.remove(q);
                    }
                    case "mirror" -> {
                        if (f.length < 7) {
                            throw new IllegalArgumentException("7 to 9 fields expected, found " + f.length);
                        }
                        long cookie = Long.parseUnsignedLong(f[1]);
                        int index = ifindex(f[2]);
                        long note = note(f[3]);
                        int priority = filterPriority(f[4]);
                        int to = ifindex(f[5]);
                        // without ACTION-COOKIE: a line of a netvirt before it wrote the cookie before the adds
                        boolean marked = f.length > 7 && !REACHES.contains(f[6]);
                        String mark = marked ? actionCookie(f[6]) : "";
                        Adopted at = reach(f, marked ? 7 : 6, cookie, 0);
                        if (to == index) {
                            throw new IllegalArgumentException("a device mirrored onto itself");
                        }
                        if (note <= lastQdiscNote) {
                            throw new IllegalArgumentException("notes are numbered upwards");
                        }
                        lastQdiscNote = note;
                        if (mirrors.size() == MAX_DEVICE_FAULTS) {
                            throw new IllegalArgumentException("more than " + MAX_DEVICE_FAULTS + " mirrors");
                        }
                        mirrors.add(new Mirror(cookie, index, priority, to, at.netns(), at.pid(), 0, mark));
                        mirrorNotes.add(note);
                    }
                    case "mirror-filter" -> {
                        if (f.length != 5 && f.length != 6) { // 5: a netvirt before it marked its mirrors
                            throw new IllegalArgumentException("5 or 6 fields expected, found " + f.length);
                        }
                        int m = noted(mirrors, mirrorNotes, Long.parseUnsignedLong(f[1]), ifindex(f[2]), note(f[3]));
                        long handle = u32Node(f[4]);
                        Mirror r = m < 0 ? null : mirrors.get(m);
                        if (r == null || r.handle() != 0) {
                            throw new IllegalArgumentException(
                                    r == null
                                            ? "no mirror of that device and note recorded before"
                                            : "handle recorded before");
                        }
                        String mark = f.length == 6 ? actionCookie(f[5]) : r.actionCookie();
                        if (!r.actionCookie().isEmpty() && !mark.equals(r.actionCookie())) {
                            throw new IllegalArgumentException("another action cookie than the mirror line's");
                        }
                        mirrors.set(
                                m,
                                new Mirror(
                                        r.cookie(), r.index(), r.priority(), r.to(), r.netns(), r.pid(), handle, mark));
                    }
                    case "mirror-del" -> {
                        need(f, 4);
                        int m = noted(mirrors, mirrorNotes, Long.parseUnsignedLong(f[1]), ifindex(f[2]), note(f[3]));
                        if (m < 0) {
                            throw new IllegalArgumentException("no mirror of that device and note recorded before");
                        }
                        mirrors.remove(m);
                        mirrorNotes.remove(m);
                    }
                    case "link-down" -> {
                        if (f.length < 5) {
                            throw new IllegalArgumentException("5 or 6 fields expected, found " + f.length);
                        }
                        long cookie = Long.parseUnsignedLong(f[1]);
                        int index = ifindex(f[2]);
                        String name = Names.checkInterface(f[3]);
                        Adopted at = reach(f, 4, cookie, 0);
                        if (cuts.size() == MAX_DEVICE_FAULTS) {
                            throw new IllegalArgumentException("more than " + MAX_DEVICE_FAULTS + " cuts");
                        }
                        cuts.add(new CutLink(cookie, index, name, at.netns(), at.pid()));
                    }
                    case "link-up" -> {
                        need(f, 3);
                        long cookie = Long.parseUnsignedLong(f[1]);
                        int index = ifindex(f[2]);
                        int last = -1;
                        for (int c = 0; c < cuts.size(); c++) {
                            if (cuts.get(c).cookie() == cookie && cuts.get(c).index() == index) {
                                last = c;
                            }
                        }
                        if (last < 0) {
                            throw new IllegalArgumentException("no cut of that device recorded before");
                        }
                        cuts.remove(last);
                    }
                    case "kept" -> {
                        need(f, 1);
                        kept = true;
                    }
                    default -> throw new IllegalArgumentException("unknown line");
                }
            } catch (RuntimeException e) {
                String shown = l.length() > 80 ? l.substring(0, 80) + "..." : l;
                throw new IllegalArgumentException(
                        "line " + (i + 1) + " \"" + printable(shown) + "\": " + e.getMessage(), e);
            }
        }
        if (pid < 0 || start == null) {
            throw new IllegalArgumentException("no owner line");
        }
        if (boot == null) { // written with the owner line, in one write: identities of no known boot
            throw new IllegalArgumentException("no boot line");
        }
        if (!path.getFileName().toString().startsWith(pid + "-" + start + "-")) {
            throw new IllegalArgumentException(
                    "its file name is not its owner's (" + pid + "-" + start + "-N.topology)");
        }
        return new RecordEntry(
                path,
                pid,
                start,
                boot,
                kept,
                topology,
                root,
                List.copyOf(ns),
                List.copyOf(adopted),
                List.copyOf(processes),
                List.copyOf(tables),
                List.copyOf(qdiscs),
                List.copyOf(cuts),
                List.copyOf(mirrors),
                nsDeleted);
    }

    /** The index of the last of {@code ns} named {@code name}, or -1. */
    private static int lastOf(List<Ns> ns, String name) {
        for (int at = ns.size() - 1; at >= 0; at--) {
            if (ns.get(at).name().equals(name)) {
                return at;
            }
        }
        return -1;
    }

    /**
     * Where in {@code noted} (whose notes {@code notes} holds) what was noted as {@code note} on device
     * {@code index} of the namespace of {@code cookie} is, or -1.
     */
    private static int noted(List<? extends OnDevice> noted, List<Long> notes, long cookie, int index, long note) {
        for (int i = 0; i < noted.size(); i++) {
            OnDevice d = noted.get(i);
            if (notes.get(i) == note && d.cookie() == cookie && d.index() == index) {
                return i;
            }
        }
        return -1;
    }

    /** A qdisc line's NOTE: a positive decimal number. */
    private static long note(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a note: " + s);
        }
        long n = Long.parseLong(s);
        if (n <= 0) {
            throw new IllegalArgumentException("not a note: " + s);
        }
        return n;
    }

    /** A positive ifindex, in decimal digits. */
    private static int ifindex(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not an ifindex: " + s);
        }
        long i = Long.parseLong(s);
        if (i <= 0 || i > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not an ifindex: " + s);
        }
        return (int) i;
    }

    /** The table {@code name} of the namespace of {@code cookie} in {@code tables}, or null. */
    private static NftTable table(List<NftTable> tables, long cookie, String name) {
        for (NftTable t : tables) {
            if (t.cookie() == cookie && t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** A "KIND COOKIE GROUP REACH..." line's fields (at least 4): the group checked, the reach validated. */
    private static Adopted reached(String[] f) {
        long cookie = Long.parseUnsignedLong(f[1]);
        return reach(f, 3, cookie, DeviceGroups.drawn(Integer.parseUnsignedInt(f[2])));
    }

    /** The words a reach begins with. */
    private static final Set<String> REACHES = Set.of("netns", "pid", "-");

    /**
     * The reach in the last fields of {@code f}, from {@code at} on ("netns NAME", "pid PID" or "-"),
     * validated, for the namespace of {@code cookie} (and device group {@code group}).
     */
    private static Adopted reach(String[] f, int at, long cookie, int group) {
        switch (f[at]) {
            case "netns" -> {
                need(f, at + 2);
                return new Adopted(cookie, group, Names.checkNamespace(unescape(f[at + 1])), 0);
            }
            case "pid" -> {
                need(f, at + 2);
                long p = Long.parseLong(f[at + 1]);
                if (p <= 0) {
                    throw new IllegalArgumentException("pid " + p);
                }
                return new Adopted(cookie, group, null, p);
            }
            case "-" -> {
                need(f, at + 1);
                return new Adopted(cookie, group, null, 0);
            }
            default -> throw new IllegalArgumentException("unknown reach " + f[at]);
        }
    }

    private static void need(String[] f, int n) {
        if (f.length != n) {
            throw new IllegalArgumentException(n + " fields expected, found " + f.length);
        }
    }
}
