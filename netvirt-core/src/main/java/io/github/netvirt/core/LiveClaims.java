package io.github.netvirt.core;

import io.github.netvirt.netns.NameFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the records of live topologies name, kept from a cleanup of another record. No two records name
 * one object: a device group is drawn unused by every record, a namespace's cookie, a process's pid
 * and start time, a fault's handle or action cookie belong to the one topology that made them. A
 * record naming what a live topology's record names (its owner running, or the topology detached)
 * holds a line that is not its own (a record corrupted, blocks of two files mixed, one planted), and
 * its cleanup would remove what that topology still uses: those parts are reported and left, and the
 * record kept.
 */
final class LiveClaims {
    private LiveClaims() {}

    /**
     * {@code e} without what another of {@code all} whose topology lives names, each part left out
     * reported in {@code leftAlone}; {@code e} itself when it names nothing of theirs.
     */
    static RecordEntry without(RecordEntry e, List<RecordEntry> all, List<String> leftAlone) {
        Set<String> mine = keys(e);
        Set<String> held = new HashSet<>();
        Set<String> holders = new TreeSet<>();
        for (RecordEntry o : all) {
            if (o.path().equals(e.path())) {
                continue;
            }
            Set<String> theirs = keys(o);
            theirs.retainAll(mine);
            if (!theirs.isEmpty() && (o.kept() || o.ownerAlive())) {
                held.addAll(theirs);
                holders.add(o.path().getFileName().toString());
            }
        }
        if (held.isEmpty()) {
            return e;
        }
        List<String> left = new ArrayList<>();
        RecordEntry.Root root = e.root();
        if (root != null && held.contains(group(root.cookie(), root.group()))) {
            left.add("devices of group " + Integer.toUnsignedString(root.group()) + " in the root namespace");
            root = null;
        }
        List<RecordEntry.Adopted> adopted = new ArrayList<>();
        for (RecordEntry.Adopted a : e.adopted()) {
            if (held.contains(group(a.cookie(), a.group()))) {
                left.add("devices of group " + Integer.toUnsignedString(a.group()) + " in the adopted namespace cookie "
                        + Long.toUnsignedString(a.cookie()));
            } else {
                adopted.add(a);
            }
        }
        List<RecordEntry.Ns> ns = new ArrayList<>();
        for (RecordEntry.Ns n : e.namespaces()) {
            if (n.cookie() != 0 && held.contains(ns(n.cookie())) || n.file() != null && held.contains(file(n.file()))) {
                left.add("netns " + n.name());
            } else {
                ns.add(n);
            }
        }
        List<RecordEntry.Started> processes = new ArrayList<>();
        for (RecordEntry.Started p : e.processes()) {
            if (held.contains(process(p.pid(), p.startTime()))) {
                left.add("process " + p.pid());
            } else {
                processes.add(p);
            }
        }
        List<RecordEntry.RootQdisc> qdiscs = new ArrayList<>();
        for (RecordEntry.RootQdisc q : e.qdiscs()) {
            if (held.contains(qdisc(q.cookie(), q.index(), q.handle()))) {
                left.add("root qdisc " + Long.toHexString(q.handle() >>> 16) + ": of device " + q.index());
            } else {
                qdiscs.add(q);
            }
        }
        List<RecordEntry.Mirror> mirrors = new ArrayList<>();
        for (RecordEntry.Mirror m : e.mirrors()) {
            if (held.contains(mirror(m.cookie(), m.index(), m.actionCookie()))) {
                left.add("mirror of device " + m.index());
            } else {
                mirrors.add(m);
            }
        }
        List<RecordEntry.CutLink> cuts = new ArrayList<>();
        for (RecordEntry.CutLink c : e.cuts()) {
            if (held.contains(cut(c.cookie(), c.index()))) {
                left.add("device " + c.name() + " (ifindex " + c.index() + ") cut");
            } else {
                cuts.add(c);
            }
        }
        if (left.isEmpty()) {
            return e;
        }
        Cleaner.leave(
                leftAlone,
                String.join(", ", left) + " (of pid " + e.pid() + ", "
                        + e.path().getFileName()
                        + "): named by the record of a live topology too (" + String.join(", ", holders)
                        + "), and no two records name one object: this record holds a line not its own; left alone,"
                        + " the record is kept");
        return new RecordEntry(
                e.path(),
                e.pid(),
                e.startTime(),
                e.boot(),
                e.kept(),
                e.topology(),
                root,
                List.copyOf(ns),
                List.copyOf(adopted),
                List.copyOf(processes),
                e.tables(),
                List.copyOf(qdiscs),
                List.copyOf(cuts),
                List.copyOf(mirrors),
                e.nsDeleted());
    }

    /** Every object {@code e} names, as a key. */
    static Set<String> keys(RecordEntry e) {
        Set<String> k = new HashSet<>();
        if (e.root() != null) {
            k.add(group(e.root().cookie(), e.root().group()));
        }
        for (RecordEntry.Adopted a : e.adopted()) {
            k.add(group(a.cookie(), a.group()));
        }
        for (RecordEntry.Ns n : e.namespaces()) {
            if (n.cookie() != 0) {
                k.add(ns(n.cookie()));
            }
            if (n.file() != null) {
                k.add(file(n.file()));
            }
        }
        for (RecordEntry.Started p : e.processes()) {
            k.add(process(p.pid(), p.startTime()));
        }
        for (RecordEntry.RootQdisc q : e.qdiscs()) {
            if (q.handle() != 0) {
                k.add(qdisc(q.cookie(), q.index(), q.handle()));
            }
        }
        for (RecordEntry.Mirror m : e.mirrors()) {
            if (!m.actionCookie().isEmpty()) {
                k.add(mirror(m.cookie(), m.index(), m.actionCookie()));
            }
        }
        for (RecordEntry.CutLink c : e.cuts()) {
            k.add(cut(c.cookie(), c.index()));
        }
        return k;
    }

    private static String group(long cookie, int group) {
        return "group " + Long.toUnsignedString(cookie) + " " + Integer.toUnsignedString(group);
    }

    private static String ns(long cookie) {
        return "ns " + Long.toUnsignedString(cookie);
    }

    private static String file(NameFile f) {
        return "file " + Long.toUnsignedString(f.inode()) + " " + f.birth();
    }

    private static String process(long pid, String startTime) {
        return "process " + pid + " " + startTime;
    }

    private static String qdisc(long cookie, int index, long handle) {
        return "qdisc " + Long.toUnsignedString(cookie) + " " + index + " " + handle;
    }

    private static String mirror(long cookie, int index, String actionCookie) {
        return "mirror " + Long.toUnsignedString(cookie) + " " + index + " " + actionCookie;
    }

    private static String cut(long cookie, int index) {
        return "cut " + Long.toUnsignedString(cookie) + " " + index;
    }
}
