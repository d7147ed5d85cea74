package io.github.netvirt.core;

import com.sun.jna.LastErrorException;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NameState;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Removes what crash records list, where the kernel identity is proven: a namespace whose name
 * still holds the recorded cookie, a root-namespace device carrying the recorded group in the
 * recorded root namespace (the namespace its owner's JVM started in: this JVM's, or one the record
 * says how to reach). Everything else is left alone, logged and reported; a record whose root
 * devices this JVM cannot reach is kept. A record is acted on only once the cleaner holds its lock
 * ({@link CrashRecord#claim}): its owner holds it while it lives, and the kernel drops it when the
 * owner exits, before it is a zombie with its pid and start time still in /proc. A record left for
 * any reason, its owner running included, is reported. One cleanup at a
 * time per run directory (a lock file), so that parallel JVMs do not race over the same record.
 */
final class Cleaner {
    private static final System.Logger LOG = System.getLogger(Cleaner.class.getName());

    private Cleaner() {}

    /**
     * Cleans up after the dead owners of the records in {@code dir}; every record it leaves (its owner
     * runs, it is detached, it cannot be trusted, part of it could not be removed) is reported.
     */
    static CleanupReport cleanup(RunDir dir) {
        return lockedChoosing(dir, all -> e -> true, false, new ArrayList<>());
    }

    /**
     * Removes the detached topologies of the description {@code spec}: one that began from it (the
     * description its record was begun with, at its first apply, is {@code spec}'s), whatever changes
     * made of it since (the namespaces they added go too), and one whose named namespaces are now
     * exactly {@code spec}'s. A description without a named namespace matches none: a detached
     * topology has one.
     *
     * @throws IllegalStateException if none matched while a detached topology of this boot holds a
     *     namespace named as one of {@code spec}'s: another topology, left alone, which the message
     *     names with the call that removes it; or if one matched whose record another process holds
     *     locked ({@link #lockedByAnother}), once the others that matched are removed
     */
    static List<String> removeDetached(RunDir dir, TopologySpec spec) {
        Set<String> names = new LinkedHashSet<>();
        for (NamespaceSpec n : spec.namespaces()) {
            if (n.kernelName() != null) {
                names.add(n.kernelName());
            }
        }
        if (names.isEmpty()) {
            return List.of(); // no kept topology has none (detach() refuses): it would match any that had
        }
        String description = RootDevices.describe(spec);
        Set<Path> matched = new HashSet<>();
        Map<Path, String> others = new LinkedHashMap<>();
        List<String> locked = new ArrayList<>();
        List<String> removed = lockedChoosing(
                        dir,
                        all -> e -> {
                            if (!e.kept()) {
                                return false;
                            }
                            List<String> held = new ArrayList<>();
                            Set<String> recorded = new HashSet<>();
                            for (RecordEntry.Ns n : e.namespaces()) {
                                recorded.add(n.name());
                                if (names.contains(n.name())) {
                                    held.add(n.name());
                                }
                            }
                            if (began(e, description, names) || recorded.equals(names)) {
                                matched.add(e.path());
                                return true;
                            }
                            if (!held.isEmpty() && e.thisBoot()) {
                                others.put(
                                        e.path(),
                                        describe(e) + " holds netns " + String.join(", ", held)
                                                + " (Topology.removeDetached(\"" + held.get(0) + "\") removes it)");
                            }
                            return false;
                        },
                        true,
                        locked)
                .removed();
        refuseLocked("removeDetached()", locked, removed);
        if (matched.isEmpty() && !others.isEmpty()) {
            throw new IllegalStateException("removeDetached(): no detached topology began from this description"
                    + " or has exactly its namespaces (" + String.join(", ", names) + "); nothing removed. Another"
                    + " detached topology holds one of them, left alone: " + String.join("; ", others.values()));
        }
        return removed;
    }

    /**
     * Whether {@code e}'s description is {@code description} (of the namespaces {@code names}) as a record
     * keeps it ({@link CrashRecord#begin}). The description joins names with spaces: where a name
     * holds one, on either side, the text cannot tell one namespace "a b" from two, a and b, and
     * does not match (only namespaces that are now exactly {@code names} do).
     */
    private static boolean began(RecordEntry e, String description, Set<String> names) {
        return !e.topology().isEmpty()
                && names.stream().noneMatch(n -> n.indexOf(' ') >= 0)
                && e.namespaces().stream().noneMatch(n -> n.name().indexOf(' ') >= 0)
                && e.topology().equals(RecordFields.printable(description).trim());
    }

    /**
     * Removes the detached topologies that hold a namespace named {@code nameOrPrefix} when one does
     * (the name is taken as that name: {@code "t-a"} leaves a {@code t-ab}), else those whose
     * namespaces are all named with that prefix; the same proof of identity as {@link #cleanup}.
     *
     * @throws IllegalStateException if one matched whose record another process holds locked
     *     ({@link #lockedByAnother}), once the others that matched are removed
     */
    static List<String> removeDetached(RunDir dir, String nameOrPrefix) {
        List<String> locked = new ArrayList<>();
        List<String> removed = lockedChoosing(
                        dir,
                        all -> {
                            boolean aName = all.stream()
                                    .anyMatch(e -> e.kept()
                                            && e.namespaces().stream()
                                                    .anyMatch(n -> n.name().equals(nameOrPrefix)));
                            return e -> e.kept() && named(e, nameOrPrefix, aName);
                        },
                        true,
                        locked)
                .removed();
        refuseLocked("removeDetached(\"" + RecordFields.printable(nameOrPrefix) + "\")", locked, removed);
        return removed;
    }

    /**
     * Throws when a detached topology a removeDetached {@code call} matched was left because another
     * process holds its record locked: the caller asked for it, and an empty or shorter list would
     * read as if it had not matched.
     *
     * @throws IllegalStateException naming each such topology, its namespaces and the lock's holder,
     *     and what the call removed meanwhile
     */
    private static void refuseLocked(String call, List<String> locked, List<String> removed) {
        if (locked.isEmpty()) {
            return;
        }
        throw new IllegalStateException(
                call + " matched a detached topology it cannot remove: " + String.join("; ", locked)
                        + (removed.isEmpty()
                                ? "; nothing removed"
                                : "; removed of the other topologies it matched: " + String.join(", ", removed)));
    }

    private static boolean named(RecordEntry e, String nameOrPrefix, boolean aName) {
        return aName
                ? e.namespaces().stream().anyMatch(n -> n.name().equals(nameOrPrefix))
                : !e.namespaces().isEmpty()
                        && e.namespaces().stream().allMatch(n -> n.name().startsWith(nameOrPrefix));
    }

    /**
     * Deals with the records that {@code choose}, given every record read under the lock, picks;
     * each is tested again when read again after its claim. A detached topology's record it picks
     * whose lock another process holds ({@link #lockedByAnother}) is reported, and added to
     * {@code locked} too.
     */
    private static synchronized CleanupReport lockedChoosing(
            RunDir dir, Function<List<RecordEntry>, Predicate<RecordEntry>> choose, boolean kept, List<String> locked) {
        List<String> removed = new ArrayList<>();
        List<String> leftAlone = new ArrayList<>();
        if (!Files.exists(dir.path(), LinkOption.NOFOLLOW_LINKS)) {
            return new CleanupReport(removed, leftAlone);
        }
        String unsafe = dir.unsafeReason();
        if (unsafe != null) {
            dir.records(leftAlone); // logs and reports the refusal
            return new CleanupReport(removed, leftAlone);
        }
        try (FileChannel lockFile = openLockFile(dir.path().resolve(".lock"));
                FileLock lock = lockFile.lock()) {
            List<RecordEntry> all = new ArrayList<>();
            for (RunDir.RecordFile f : dir.records(leftAlone)) {
                RecordEntry e = parsed(f, leftAlone);
                if (e != null) {
                    all.add(e);
                }
            }
            Predicate<RecordEntry> which = choose.apply(all);
            for (RecordEntry first : all) {
                RecordEntry e = first;
                if (!which.test(e)) {
                    continue;
                }
                int claim;
                try {
                    claim = CrashRecord.claim(e);
                } catch (UncheckedIOException ex) {
                    leave(leftAlone, "record " + e.path() + ": " + ex.getCause().getMessage());
                    continue;
                }
                if (claim == CrashRecord.GONE) {
                    continue; // closed by its owner meanwhile, all it made removed
                }
                if (claim == CrashRecord.ALIVE && e.kept()) {
                    String what = lockedByAnother(e);
                    leave(leftAlone, what);
                    locked.add(what);
                    continue;
                }
                if (claim == CrashRecord.ALIVE) {
                    // it holds its lock: alive, even where its pid here is another process's
                    String what = describe(e) + ": its owner is running";
                    LOG.log(System.Logger.Level.DEBUG, "netvirt cleanup left alone: {0}", what);
                    leftAlone.add(what);
                    continue;
                }
                try {
                    // read again now that its owner cannot write to it: since the first read, it may
                    // have added lines (a change) and died while the records before it were cleaned
                    e = parsed(dir.read(e.path(), leftAlone), leftAlone);
                    if (e == null || !which.test(e)) {
                        continue;
                    }
                    if (!e.thisBoot()) {
                        removeStale(e, removed, leftAlone);
                    } else if (kept || !e.kept()) {
                        RecordEntry own = LiveClaims.without(e, all, leftAlone);
                        remove(own, own == e, removed, leftAlone);
                    } else if (nothingLeft(e)) {
                        // a detached topology removed by hand (ip netns del): only its record is left
                        deleteRecord(
                                e,
                                "record of the detached " + describe(e) + ": nothing of it was left",
                                removed,
                                leftAlone);
                    } else {
                        String what = describe(e) + ": detached, left running (removeDetached() removes it)";
                        LOG.log(System.Logger.Level.DEBUG, "netvirt cleanup left alone: {0}", what);
                        leftAlone.add(what);
                    }
                } finally {
                    Sys.closeQuietly(claim);
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot lock " + dir.path().resolve(".lock") + ": " + ex.getMessage(), ex);
        }
        return new CleanupReport(removed, leftAlone);
    }

    /**
     * The lock file {@code p}, made if missing. Opened without waiting first: a FIFO planted there
     * would block a plain open for writing until someone reads it.
     *
     * @throws IOException if it cannot be opened, or is no regular file (the message says what it is)
     */
    private static FileChannel openLockFile(Path p) throws IOException {
        int fd;
        try {
            fd = LibC.open(
                    LibC.path(p.toString()),
                    LibC.O_WRONLY | LibC.O_CREAT | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC,
                    0600);
        } catch (LastErrorException e) {
            // the open refuses what is no regular file for reasons of its own (a FIFO without a reader:
            // ENXIO; a directory: EISDIR; a symbolic link: ELOOP): say what is there instead
            FileStat there;
            try {
                there = FileStat.of(p.toString(), false);
            } catch (IOException gone) {
                there = null;
            }
            throw new IOException(
                    there != null && !there.isRegularFile() ? notRegular(p, there) : Errno.describe(e.getErrorCode()),
                    e);
        }
        try {
            FileStat st = FileStat.of(fd);
            if (!st.isRegularFile()) {
                throw new IOException(notRegular(p, st)); // a FIFO that someone reads
            }
            // the same file again, for its FileLock; the fd is closed before that lock is taken:
            // closing any fd of a file drops the process's fcntl locks on it
            return FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.WRITE);
        } finally {
            Sys.closeQuietly(fd);
        }
    }

    private static String notRegular(Path p, FileStat st) {
        return p.getFileName() + " is " + st.kind() + ", not a regular file: remove it";
    }

    /** The record {@code f} parsed, or null (refused: logged and reported; or gone). */
    private static RecordEntry parsed(RunDir.RecordFile f, List<String> leftAlone) {
        if (f == null) {
            return null;
        }
        try {
            return RecordParser.parse(f.path(), f.lines());
        } catch (IllegalArgumentException ex) {
            LOG.log(System.Logger.Level.WARNING, "netvirt crash record {0} refused: {1}", f.path(), ex.getMessage());
            leftAlone.add("record " + f.path() + " refused: " + ex.getMessage());
            return null;
        }
    }

    /**
     * What is reported of a detached topology whose record's lock another process holds longer than a
     * cleaner looks at it ({@link CrashRecord#claim}): its owner let the lock go when it detached, and
     * a record is dealt with only by whoever holds its lock, so it is left in place, its namespaces
     * untouched. Names the holder when {@code /proc/locks} tells it ({@link LockHolders}).
     */
    private static String lockedByAnother(RecordEntry e) {
        String holders = LockHolders.of(e.path());
        List<String> names = new ArrayList<>();
        e.namespaces().forEach(n -> names.add(n.name()));
        return describe(e) + ": detached, left running"
                + (names.isEmpty() ? "" : " (netns " + String.join(", ", names) + ")")
                + ": its record is locked by another process" + (holders.isEmpty() ? "" : " (" + holders + ")")
                + ", and what a record names is removed only by whoever holds its lock: removeDetached() removes"
                + " it once that lock is let go";
    }

    /**
     * "topology DESCRIPTION (of pid PID, FILE)": a record, in what a cleanup reports. DESCRIPTION is
     * the one the record was begun with; where changes made the named namespaces others, followed by
     * ", changed since: now netns NAME ..." (those the record holds now).
     */
    private static String describe(RecordEntry e) {
        return "topology " + (e.topology().isEmpty() ? "(no description yet)" : e.topology()) + changedSince(e)
                + " (of " + (e.thisBoot() && e.pid() == Owner.ownPid() ? "this process" : "pid " + e.pid()) + ", "
                + e.path().getFileName() + ")";
    }

    /**
     * ", changed since: now netns NAME ..." when a change made the named namespaces of the record
     * others than its description lists ({@link RootDevices#describe}: its words without a parenthesis;
     * the others are the root and adopted namespaces, and ephemeral ones), else "". A change shows in
     * the record as a namespace not described, or a described one deleted ({@code ns-del}): fewer
     * namespaces without a deletion are a record still being written by its apply (each NS_ADD step
     * notes its namespace as it makes it, in whatever order the switching threads run), or one whose
     * apply was cut short, not a change.
     */
    static String changedSince(RecordEntry e) {
        if (e.topology().isEmpty()) {
            return "";
        }
        Set<String> described = new HashSet<>();
        // words end at a space outside parentheses: an adoption's text has spaces and may have its own
        // parentheses ("ad(adopted netns NAME)", "ad(adopted handle (unnamed))")
        StringBuilder word = new StringBuilder();
        boolean parenthesised = false;
        int depth = 0;
        String text = e.topology() + ' ';
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' && depth == 0) {
                if (word.length() > 0 && !parenthesised) {
                    described.add(word.toString());
                }
                word.setLength(0);
                parenthesised = false;
                continue;
            }
            if (c == '(') {
                depth++;
                parenthesised = true;
            } else if (c == ')' && depth > 0) {
                depth--;
            }
            word.append(c);
        }
        List<String> now = new ArrayList<>();
        e.namespaces().forEach(n -> now.add(n.name()));
        Set<String> listed = new HashSet<>(now);
        if (described.containsAll(listed) && (!e.nsDeleted() || described.size() == listed.size())) {
            return "";
        }
        return ", changed since: now " + (now.isEmpty() ? "no named namespace" : "netns " + String.join(" ", now));
    }

    /** A part of the record {@code e} that could not be removed: reported, and the record kept. */
    private static void failed(RecordEntry e, RuntimeException ex, List<String> leftAlone) {
        leave(leftAlone, describe(e) + ": " + ex.getMessage() + "; the record is kept for a later cleanup");
    }

    /**
     * Whether nothing the record at {@code path} names is there any more ({@link #nothingLeft}), as it
     * reads now; false when it cannot be read, parsed or looked into.
     */
    static boolean nothingLeft(Path path) {
        List<String> refused = new ArrayList<>();
        try {
            RecordEntry e = parsed(new RunDir(path.getParent()).read(path, refused), refused);
            return e != null && nothingLeft(e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "cannot tell whether anything of {0} is left: {1}", path, e);
            return false;
        }
    }

    /**
     * Whether nothing the record names is there any more: no process it started detached still runs
     * in its namespace (those keep a namespace whose name was removed alive, and removeDetached ends
     * them), and no namespace, device, table, qdisc, mirror or cut of it is left.
     */
    private static boolean nothingLeft(RecordEntry e) {
        for (RecordEntry.Started p : e.processes()) {
            if (CrashedProcesses.running(p)) {
                return false;
            }
        }
        for (RecordEntry.NftTable t : e.tables()) {
            if (CrashedFaults.tableThere(t)) {
                return false;
            }
        }
        for (RecordEntry.RootQdisc q : e.qdiscs()) {
            if (CrashedFaults.qdiscThere(q)) {
                return false;
            }
        }
        for (RecordEntry.CutLink c : e.cuts()) {
            if (CrashedFaults.cutThere(c)) {
                return false;
            }
        }
        for (RecordEntry.Mirror m : e.mirrors()) {
            if (CrashedFaults.mirrorThere(m)) {
                return false;
            }
        }
        for (RecordEntry.Adopted a : e.adopted()) {
            if (adoptedThere(a)) {
                return false;
            }
        }
        for (RecordEntry.Ns n : e.namespaces()) {
            if (n.file() != null && NetNamespace.isLeftover(NetNamespace.nameFile(n.name()), n.file())
                    || n.cookie() != 0 && NetNamespace.nameState(n.name(), n.cookie()) == NameState.SAME) {
                return false;
            }
        }
        if (e.root() == null) {
            return true;
        }
        try (NetNamespace root = RecordReach.rootOf(e.root())) {
            if (root == null) {
                return false; // cannot be seen from here: its devices may be there still
            }
            return !TaggedDevices.hasGroup(root, e.root().group());
        }
    }

    /**
     * Deletes the record of {@code e}, everything it names dealt with, and lists {@code what} (null:
     * nothing) in {@code removed}. One that cannot be deleted (immutable, a mount point) is reported
     * instead, and the cleanup goes on with the others: a later one finds nothing of it left to remove.
     */
    private static void deleteRecord(RecordEntry e, String what, List<String> removed, List<String> leftAlone) {
        try {
            LibC.unlink(LibC.path(e.path().toString()));
        } catch (LastErrorException ex) {
            if (ex.getErrorCode() != Errno.ENOENT.code()) {
                leave(
                        leftAlone,
                        describe(e) + ": all it names is dealt with, but the record cannot be deleted: "
                                + Errno.describe(ex.getErrorCode()) + "; it is left");
                return;
            }
        }
        if (what != null) {
            LOG.log(System.Logger.Level.INFO, "removed the {0}", what);
            removed.add(what);
        }
    }

    /**
     * Removes what {@code e} names; {@code all}: whether it is all the record names (else what a live
     * topology's record names too was left out, {@link LiveClaims}, and the record is kept).
     */
    private static void remove(RecordEntry e, boolean all, List<String> removed, List<String> leftAlone) {
        String owner = " (of pid " + e.pid() + ", " + e.path().getFileName() + ")";
        boolean complete = CrashedProcesses.endStarted(e, owner, removed, leftAlone) && all;
        RecordEntry.Root r = e.root();
        if (r != null) {
            String where = r.cookie() == RecordReach.rootCookie()
                    ? "root namespace"
                    : "root namespace of its owner, "
                            + (r.netns() != null
                                    ? "netns " + r.netns()
                                    : "cookie " + Long.toUnsignedString(r.cookie()));
            try (NetNamespace root = RecordReach.rootOf(r)) {
                if (root == null) {
                    complete = false; // the record stays: a cleaner that reaches the namespace removes them
                    leave(
                            leftAlone,
                            "devices of group " + Integer.toUnsignedString(r.group()) + " in namespace cookie "
                                    + Long.toUnsignedString(r.cookie()) + owner
                                    + ": the root namespace of its owner, which this JVM cannot reach ("
                                    + (r.netns() != null
                                            ? "netns " + r.netns()
                                            : r.pid() > 0 ? "pid " + r.pid() : "no way recorded")
                                    + "); the record is kept");
                } else {
                    try (NetlinkHandle h = NetlinkHandle.open(root)) {
                        for (String d : TaggedDevices.deleteTagged(h, r.group())) {
                            removed.add("link " + d + " (" + where + ", group " + Integer.toUnsignedString(r.group())
                                    + ")");
                            LOG.log(System.Logger.Level.INFO, "removed link {0} in the {1}{2}", d, where, owner);
                        }
                    }
                }
            } catch (RuntimeException ex) {
                complete = false;
                failed(e, ex, leftAlone);
            }
        }
        for (RecordEntry.Adopted a : e.adopted()) {
            try {
                complete &= removeAdopted(a, owner, removed, leftAlone);
            } catch (RuntimeException ex) {
                complete = false;
                failed(e, ex, leftAlone);
            }
        }
        for (RecordEntry.NftTable t : e.tables()) {
            try {
                CrashedFaults.reportTable(t, e.pid(), owner, leftAlone);
            } catch (RuntimeException ex) {
                complete = false;
                failed(e, ex, leftAlone);
            }
        }
        for (RecordEntry.RootQdisc q : e.qdiscs()) {
            try {
                complete &= CrashedFaults.removeQdisc(q, owner, removed, leftAlone);
            } catch (RuntimeException ex) {
                complete = false;
                failed(e, ex, leftAlone);
            }
        }
        for (RecordEntry.Mirror m : e.mirrors()) {
            try {
                complete &= CrashedFaults.removeMirror(m, owner, removed, leftAlone);
            } catch (RuntimeException ex) {
                complete = false;
                failed(e, ex, leftAlone);
            }
        }
        for (RecordEntry.CutLink c : e.cuts()) {
            try {
                complete &= CrashedFaults.setUp(c, owner, removed, leftAlone);
            } catch (RuntimeException ex) {
                complete = false;
                failed(e, ex, leftAlone);
            }
        }
        try {
            // where /run/netns makes no unnamed file, a name is taken through a file named for its
            // owner (pid and start time), which a kill may leave
            for (Path f : NetNamespace.removeTakingFiles(e.pid(), e.startTime())) {
                removed.add("file " + f + " (a name being taken)");
                LOG.log(System.Logger.Level.INFO, "removed {0}{1}", f, owner);
            }
        } catch (RuntimeException ex) {
            complete = false;
            failed(e, ex, leftAlone);
        }
        for (RecordEntry.Ns n : e.namespaces()) {
            try {
                if (n.cookie() != 0) {
                    // the file an earlier netvirt made for the name before it linked it: named for the cookie, so ours
                    Path attaching = NetNamespace.attachingFile(n.cookie());
                    if (NetNamespace.removeLeftover(attaching)) {
                        removed.add("file " + attaching + " (netns " + n.name() + " being named)");
                        LOG.log(System.Logger.Level.INFO, "removed {0}{1}", attaching, owner);
                    }
                }
                Path file = NetNamespace.nameFile(n.name());
                if (n.file() != null && NetNamespace.removeLeftover(file, n.file())) {
                    removed.add("netns " + n.name() + " (the empty file a kill left)");
                    LOG.log(System.Logger.Level.INFO, "removed the empty file {0}{1}", file, owner);
                    continue;
                }
                if (n.cookie() == 0) {
                    continue; // the name taken, the namespace never made: nothing was mounted on it
                }
                switch (NetNamespace.nameState(n.name(), n.cookie())) {
                    case SAME -> {
                        // the cookie proves the namespace, not the name: its owner gave it the name
                        // only through a file it recorded first (ns-file), so the name must be that file
                        if (n.file() == null || !NetNamespace.isNameFile(n.name(), n.file())) {
                            leave(
                                    leftAlone,
                                    "netns " + n.name() + owner + ": "
                                            + (n.file() == null
                                                    ? "the record names no file its owner gave that name"
                                                    : "the name is another file than the one its owner made"
                                                            + " (inode "
                                                            + Long.toUnsignedString(
                                                                    n.file().inode()) + ")")
                                            + "; it holds the recorded namespace");
                            continue;
                        }
                        String held = CrashedProcesses.heldBy(n);
                        if (NetNamespace.deleteName(n.name(), n.cookie()) != NameState.SAME) {
                            leave(
                                    leftAlone,
                                    "netns " + n.name() + owner + ": the name changed hands while it was removed");
                            continue;
                        }
                        removed.add("netns " + n.name() + held);
                        LOG.log(
                                held.isEmpty() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                                "removed netns {0}{1}{2}",
                                n.name(),
                                held,
                                owner);
                    }
                    case OTHER ->
                        leave(
                                leftAlone,
                                "netns " + n.name() + owner
                                        + ": the name now holds another namespace (recorded cookie "
                                        + Long.toUnsignedString(n.cookie()) + ")");
                    case NOT_A_NAMESPACE ->
                        leave(
                                leftAlone,
                                "netns " + n.name() + owner
                                        + ": /run/netns/" + n.name() + " holds no namespace and is not a file this"
                                        + " owner is proven to have made");
                    case ABSENT -> {
                        // gone already
                    }
                }
            } catch (RuntimeException ex) {
                complete = false;
                failed(e, ex, leftAlone);
            }
        }
        if (complete) {
            deleteRecord(e, null, removed, leftAlone);
        }
    }

    /**
     * A record of an earlier boot: its namespaces and devices went with that boot, and the cookies,
     * groups and pids it lists may name someone else's now, so none is acted on. Only the empty file
     * of each name it made, where {@code /run} outlived the boot, is removed, by its inode and birth
     * time (the file system's identity for it, which the reboot kept); then the record, listed in
     * {@code removed} with why, unless one of them could not be removed.
     */
    private static void removeStale(RecordEntry e, List<String> removed, List<String> leftAlone) {
        String owner =
                " (of pid " + e.pid() + " in boot " + e.boot() + ", " + e.path().getFileName() + ")";
        boolean complete = true;
        for (RecordEntry.Ns n : e.namespaces()) {
            try {
                Path file = NetNamespace.nameFile(n.name());
                if (n.file() != null && NetNamespace.removeLeftover(file, n.file())) {
                    removed.add("netns " + n.name() + " (the empty file an earlier boot left)");
                    LOG.log(System.Logger.Level.INFO, "removed the empty file {0}{1}", file, owner);
                }
            } catch (RuntimeException ex) {
                complete = false; // the record stays, for a later cleanup
                failed(e, ex, leftAlone);
            }
        }
        if (complete) {
            deleteRecord(
                    e,
                    "record of the " + describe(e) + " of an earlier boot (" + e.boot()
                            + "): what it named went with that boot",
                    removed,
                    leftAlone);
        }
    }

    /**
     * Removes the devices of group {@code a.group()} in an adopted namespace, only in the namespace of
     * the recorded cookie. The namespace itself is never removed: it was never the topology's. Returns
     * false, the record to be kept, when the recorded way to it leads nowhere or elsewhere
     * ({@link RecordReach#unreached}): the devices live on with the namespace.
     */
    private static boolean removeAdopted(
            RecordEntry.Adopted a, String owner, List<String> removed, List<String> leftAlone) {
        String where = a.netns() != null
                ? "adopted netns " + a.netns()
                : a.pid() > 0
                        ? "adopted namespace of pid " + a.pid()
                        : "adopted namespace cookie " + Long.toUnsignedString(a.cookie());
        String group = Integer.toUnsignedString(a.group());
        try (NetNamespace ns = RecordReach.namespaceOf(a.cookie(), a.netns(), a.pid())) {
            if (ns == null) {
                return RecordReach.unreached(
                        a.cookie(),
                        a.netns(),
                        a.pid(),
                        "devices of group " + group + " in the " + where + " (ip link delete group " + group
                                + ", run there, deletes them)",
                        owner,
                        leftAlone);
            }
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                for (String d : TaggedDevices.deleteTagged(h, a.group())) {
                    removed.add("link " + d + " (" + where + ", group " + group + ")");
                    LOG.log(System.Logger.Level.INFO, "removed link {0} in the {1}{2}", d, where, owner);
                }
            }
            return true;
        }
    }

    /**
     * Whether a device of the topology's group is in adopted namespace {@code a}: true when it cannot
     * be reached by the recorded way (nothing proves it gone), false when it cannot be told otherwise.
     */
    private static boolean adoptedThere(RecordEntry.Adopted a) {
        try (NetNamespace ns = RecordReach.namespaceOf(a.cookie(), a.netns(), a.pid())) {
            if (ns == null) {
                return RecordReach.mayLiveOn(a.netns(), a.pid());
            }
            return TaggedDevices.hasGroup(ns, a.group());
        }
    }

    static void leave(List<String> leftAlone, String what) {
        LOG.log(System.Logger.Level.WARNING, "netvirt cleanup left alone: {0}", what);
        leftAlone.add(what);
    }
}
