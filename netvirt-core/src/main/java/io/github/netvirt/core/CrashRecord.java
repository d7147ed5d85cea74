package io.github.netvirt.core;

import static io.github.netvirt.core.RecordFields.actionCookie;
import static io.github.netvirt.core.RecordFields.digits;
import static io.github.netvirt.core.RecordFields.escape;
import static io.github.netvirt.core.RecordFields.filterPriority;
import static io.github.netvirt.core.RecordFields.printable;
import static io.github.netvirt.core.RecordFields.qdiscHandle;
import static io.github.netvirt.core.RecordFields.qdiscKind;
import static io.github.netvirt.core.RecordFields.tableName;
import static io.github.netvirt.core.RecordFields.u32Node;
import static io.github.netvirt.core.RecordFields.unescape;

import com.sun.jna.LastErrorException;
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
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a live topology made that would outlive its JVM, written in its {@link RunDir} as it
 * happens, by kernel identity: each named namespace by the inode and birth time of the file that
 * carries its name (written before the file gets the name, which is taken before the namespace is
 * made; the inode number alone is handed to the next file made) and by its cookie (written once it
 * exists, before it is mounted on that file; an older netvirt wrote it before the file), each adopted namespace's cookie with the device group that tags the devices made there and
 * how to reach it again (never to remove it: cleanup only removes those devices), and the root
 * namespace's cookie with the device group that tags
 * every device the topology creates there and how a cleaner in another namespace reaches it (written
 * before the first one is made; the "root namespace" is the one the JVM started in, which need not
 * be the cleaner's). A crashed owner's
 * objects are removed by {@link Cleaner} only where that identity is proven, so a namespace or
 * device of the same name made by someone else is never touched. Each line is one {@code write} to
 * an {@code O_APPEND} fd: a {@code kill -9} loses nothing already written, and a pending interrupt
 * does not disturb it (no interruptible channel). A line is in the record whole or not at all: what a
 * full file system wrote of it is cut off again before the write fails, so the next line is never
 * glued onto it (a kill in between leaves it torn, as the last line, which the reader drops). The fd holds an flock while the record is open:
 * a cleaner takes a record only once it holds that lock itself, so an owner whose pid means another
 * process where the cleaner runs (another pid namespace) is still seen alive, and a dead one is seen
 * dead although its pid and start time are still in /proc (a zombie whose parent has not reaped it
 * yet: the kernel drops the lock before). A free lock whose owner line names a running process here
 * (pid and start time, no zombie) is still taken for alive, so that a lock lost to a stray close of
 * the owner's fd cannot get a running topology removed (not where it names this very process, which
 * knows the records it holds and the ones it is creating: one naming it that it does not is another
 * owner's of the same pid and start time, pid 1 of another pid namespace started in the same clock
 * tick, dead once its lock is free); so is a detached topology's record, whose
 * owner let the lock go, while its owner runs. The kernel's boot id
 * dates every identity: after a reboot they count from the start again, so a record of another boot
 * proves nothing about what its names hold now (its namespaces and devices went with that boot).
 *
 * <pre>
 * netvirt-record 1
 * owner PID STARTTIME
 * boot BOOTID
 * topology DESCRIPTION
 * root COOKIE GROUP netns NAME | pid PID | -
 * ns-file FILEINODE NAME BIRTH
 * ns COOKIE NAME
 * ns-del COOKIE NAME
 * adopted COOKIE GROUP netns NAME | pid PID | -
 * process PID STARTTIME COOKIE
 * nft-table COOKIE NAME netns NAME | pid PID | -
 * nft-table-handle COOKIE NAME HANDLE
 * nft-table-del COOKIE NAME
 * qdisc COOKIE IFINDEX NOTE KIND netns NAME | pid PID | -
 * qdisc-handle COOKIE IFINDEX NOTE HANDLE
 * qdisc-del COOKIE IFINDEX NOTE
 * mirror COOKIE IFINDEX NOTE PRIORITY TO ACTION-COOKIE netns NAME | pid PID | -
 * mirror-filter COOKIE IFINDEX NOTE HANDLE ACTION-COOKIE
 * mirror-del COOKIE IFINDEX NOTE
 * link-down COOKIE IFINDEX DEVICE netns NAME | pid PID | -
 * link-up COOKIE IFINDEX
 * kept
 * </pre>
 *
 * <p>{@code process} lines, written by {@link Topology#detach()} just before {@code kept}, name the
 * processes started with {@code startDetached} through its hosts that still ran (each by pid and
 * start time, and the cookie of the namespace it was started in): their removal ends them. Those
 * whose start was under way then follow {@code kept}, written once the hosts are closed (a start
 * that ends after that is refused).
 *
 * <p>{@code nft-table} lines name an nftables table of family inet that netvirt-faults puts in a
 * namespace the topology does not own (an adopted one, or the root namespace) through a handle the
 * topology handed out ({@link Topology#namespace}): the namespace's cookie, the table's name and how a
 * cleaner reaches the namespace (as for {@code adopted}; the root namespace is found by its cookie
 * first), written before the commit that makes the table; {@code nft-table-handle} follows with the
 * handle the commit echoed (nf_tables numbers a namespace's tables upwards and never reuses a number:
 * the handle, in the namespace of that cookie, is the table's identity; its name is not), and
 * {@code nft-table-del} once it is deleted (or the commit refused). A cleaner deletes no table: every
 * fault table is owned by the socket that made it ({@code NFT_TABLE_F_OWNER}) and goes with it, so
 * one still there after its owner died is another's (or held by that socket, inherited by a live
 * process); it is reported (by the recorded handle, else by the name) and left alone.
 *
 * <p>{@code qdisc} lines name a root qdisc that netvirt-faults ({@code RateLimit}, {@code Netem}) puts
 * on device {@code IFINDEX} of such a namespace: written before the add, with its kind;
 * {@code qdisc-handle} follows with the handle the fault chose for it ({@code MAJ:0}, as a 32-bit
 * number), also before the add (a netvirt before it wrote the handle its add echoed, after the add),
 * {@code qdisc-del} once the heal deleted it (or the add was refused). {@code NOTE} (numbered upwards
 * in the record) tells which add a handle or del line is about: the notes of one device overlap when
 * a second fault's add is noted while the first's qdisc is on it (the add is then refused, EEXIST), or
 * succeeds once someone deleted the first's. A cleaner deletes a root qdisc
 * only by a recorded handle and kind, in the namespace of that cookie, as the heal does
 * ({@code NetlinkHandle.qdiscDelIfSame}: another root qdisc there now is left alone), and only a handle
 * a fault is given ({@code 8000:} to {@code fffe:}, the majors the kernel would choose, from which the
 * fault chooses); one whose handle was never written is reported if a root qdisc of its kind is on
 * the device, and left alone.
 *
 * <p>{@code mirror} lines name an {@code ingress} qdisc that netvirt-faults ({@code PortMirror}) puts
 * on device {@code IFINDEX} of such a namespace with a u32 filter of priority {@code PRIORITY} (protocol
 * all, parent {@code ffff:}) whose one action mirrors every frame to device {@code TO} (egress
 * mirror) and carries {@code ACTION-COOKIE} (16 random bytes in lower-case hex, with which
 * netvirt-faults marks each mirror, chosen before the adds; the kernel keeps it with the action,
 * {@code TCA_ACT_COOKIE}): written before the qdisc's add (a line without ACTION-COOKIE is a netvirt's
 * before it wrote the cookie there); {@code mirror-filter} follows with the u32 handle the
 * filter's add echoed ({@code htid:hash:node}, the node not 0, as a 32-bit number) and the cookie its
 * action carries (the same), {@code mirror-del}
 * once the heal deleted them (or the add was refused). {@code NOTE} is numbered with the {@code qdisc}
 * lines' (one counter). An ingress qdisc always has the handle {@code ffff:}, and the kernel numbers
 * the u32 nodes of every new one from {@code 800::800}, so the action's cookie is the proof: a cleaner,
 * in the namespace of that cookie, deletes the filter only when the device's ingress qdisc holds a u32
 * one of that priority and handle whose one action carries that action cookie, whatever its target
 * is now (the kernel reports a deleted target's action with ifindex 0), and the qdisc with it only
 * when it holds no other filter ({@code NetlinkHandle.filterDelWithQdiscIfSame}, as the heal); one whose handle was never written (a
 * kill between the adds and that line) is found by its action cookie alone. The ingress qdisc carries
 * the cookie's first eight bytes too, in a size table that changes nothing there
 * ({@code Qdisc.SizeTable.marking}): a bare one (a kill between the qdisc's add and the filter's) is
 * deleted when it carries that mark and holds no filter. One whose action cookie was never written (a
 * line of a netvirt before it marked its mirrors), or an ingress qdisc carrying neither the filter nor
 * the mark, is reported, and left alone with its record.
 *
 * <p>{@code link-down} lines name a device that a {@code LinkCut} is about to set down, written
 * before the down and only when the device is up then: its ifindex and its name then;
 * {@code link-up} once the cut heals (cuts of one device nest: each line pairs with one cut). A
 * cleaner sets the device of that ifindex up again only if, in the namespace of that cookie, it still
 * has that name and is down. That proves less than a handle: a device made since with the same
 * ifindex and name, and set down by someone else, would be set up; and a device someone else set
 * down after the cut (or renamed and back) is taken for the cut's. The cleaner gives back only what
 * the kernel does on up (IPv4 prefix routes, link-local addresses): not the routes through the device
 * nor the global IPv6 addresses that the down took, which the heal ({@code DownedLink}) restores. A
 * planted {@code link-down} line has any down device of that ifindex and name set up: nothing on a
 * device tells a cut's down from anyone's.
 *
 * <p>A fault's line whose namespace the recorded way ({@code netns NAME}, {@code pid PID}) no longer
 * leads to (the name removed, the process gone, or either now of another namespace) is reported and
 * its record kept: that namespace may live on, held by anything else, and the fault with it.
 */
final class CrashRecord implements AutoCloseable {
    static final String MAGIC = "netvirt-record 1";
    private static final AtomicInteger SEQ = new AtomicInteger();
    /**
     * The records this process holds open, or is creating (each added before its open): a record that
     * names this process's pid and start time but is not here is another owner's of the same pid and
     * start time (pid 1 of another pid namespace, started in the same clock tick), whose life only
     * its lock tells.
     */
    static final Set<Path> OWN = ConcurrentHashMap.newKeySet();
    /** How many names taken in a row {@link #begin} skips before it gives up. */
    static final int MAX_TAKEN_NAMES = 1000;

    private final Path path;
    private int fd;
    /** The bytes of the complete lines written: a line written in part is cut back to it. */
    private long length;
    /** A part of a line follows the complete ones: cut it off before the next line. */
    private boolean cut;
    /** The last {@code qdisc} line's NOTE. */
    private long qdiscNotes;

    private CrashRecord(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Starts a record for this process in {@code dir}: the header is one write, so the file is
     * either empty (nothing was made yet) or names its owner.
     *
     * @throws IllegalStateException if the directory may not be trusted (see {@link RunDir})
     * @throws UncheckedIOException if the record, or the directory, cannot be written
     */
    static CrashRecord begin(RunDir dir, String description) {
        dir.prepareForWriting();
        long pid = Owner.ownPid(); // refuses before anything is made when /proc does not show this JVM
        String start = Owner.ownStartTime();
        Path p;
        int fd;
        for (int attempt = 1, taken = 0; ; attempt++) {
            p = dir.path().resolve(pid + "-" + start + "-" + SEQ.incrementAndGet() + ".topology");
            Path own = p.toAbsolutePath().normalize();
            OWN.add(own); // before the open: a cleaner of this process finds the file only once it is ours
            try {
                fd = LibC.open(
                        LibC.path(p.toString()),
                        LibC.O_WRONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_APPEND | LibC.O_NOFOLLOW | LibC.O_CLOEXEC,
                        0600);
            } catch (LastErrorException e) {
                OWN.remove(own);
                // another owner of the same pid and start time (pid 1 of another pid namespace, started
                // in the same clock tick) has this name: its lock tells the two apart, the next name is ours
                if (e.getErrorCode() == Errno.EEXIST.code() && ++taken < MAX_TAKEN_NAMES) {
                    attempt--;
                    continue;
                }
                IOException x = new IOException("cannot create the crash record " + p + ": "
                        + Errno.describe(e.getErrorCode())
                        + (taken > 0 ? " (" + taken + " names of this owner taken in a row)" : ""));
                throw new UncheckedIOException(x.getMessage(), x);
            }
            if (lockedAndLinked(fd)) {
                break;
            }
            // a cleaner that could not tell this owner alive (another pid namespace) claimed the empty
            // file before the lock was taken: it removes it; this record starts under another name
            Sys.closeQuietly(fd);
            try {
                LibC.unlink(LibC.path(p.toString()));
            } catch (LastErrorException ignored) {
                // removed by that cleaner already
            }
            OWN.remove(own);
            if (attempt == 3) {
                throw new UncheckedIOException(new IOException("cannot lock the crash record " + p));
            }
        }
        CrashRecord r = new CrashRecord(p, fd);
        try {
            r.line(MAGIC + "\nowner " + pid + " " + start + "\nboot " + Owner.bootId() + "\ntopology "
                    + printable(description));
        } catch (RuntimeException e) {
            r.release();
            try {
                Files.deleteIfExists(p);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return r;
    }

    Path path() {
        return path;
    }

    /**
     * Takes the lock that tells cleaners this record's owner lives (an flock on the open file: the
     * kernel drops it when the process dies, whatever its pid means where the cleaner runs); false
     * when a cleaner holds it, or removed the file before it was taken.
     */
    private static boolean lockedAndLinked(int fd) {
        Lock l = lock(fd, LibC.LOCK_EX);
        if (l != Lock.TAKEN) {
            return l == Lock.UNSUPPORTED; // no flock on this file system: the pid and start time tell
        }
        try {
            return FileStat.of(fd).links() > 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the attributes of a crash record", e);
        }
    }

    /** How long {@link #claim} waits for another cleaner to let a detached topology's record go. */
    static final long KEPT_WAIT_MS = 2000;

    /** What {@link #claim} returns when the record's owner lives. */
    static final int ALIVE = -1;
    /** What {@link #claim} returns when the record is gone (its owner closed it, or a cleaner removed it). */
    static final int GONE = -2;

    /** {@link #lock}: taken; held by another open file (its owner, or a cleaner); the file system has no flock. */
    enum Lock {
        TAKEN,
        HELD,
        UNSUPPORTED
    }

    /**
     * Claims the record of {@code e} for a cleaner: the fd holding its lock (close it once done), or
     * {@link #ALIVE} when its owner still holds it (it lives, wherever its pid is), or {@link #GONE}.
     * Only where the file system has no flock do its pid and start time decide (a zombie counting as
     * dead); a detached topology's record, whose owner let the lock go, is claimed whoever runs, once
     * another cleaner looking at it has let it go (up to {@link #KEPT_WAIT_MS}).
     *
     * @throws UncheckedIOException if it exists but cannot be opened
     */
    static int claim(RecordEntry e) {
        int fd = open(e.path());
        if (fd < 0) {
            return GONE;
        }
        Lock l = lock(fd, LibC.LOCK_EX);
        // a detached topology's owner let the lock go: whoever holds it is another cleaner (this JVM's
        // reaper, another JVM's cleanup), for as long as it looks at the record; wait for it
        for (long waited = 0; l == Lock.HELD && e.kept() && waited < KEPT_WAIT_MS; waited += 5) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException x) {
                if (!Uninterrupted.holdBack()) { // in cleanup(): held back, the wait goes on
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            l = lock(fd, LibC.LOCK_EX);
        }
        // a free lock with the owner's pid and start time alive here (no zombie) is still taken for
        // alive: the lock alone would let a stray close of the owner's fd delete a running topology
        if (l == Lock.HELD || !e.kept() && e.heldOrPidAlive()) {
            Sys.closeQuietly(fd);
            return ALIVE;
        }
        return fd;
    }

    /** {@code p} opened for its lock, or -1 when it is gone. */
    static int open(Path p) {
        try {
            return LibC.open(
                    LibC.path(p.toString()), LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT.code()) {
                return -1;
            }
            throw new UncheckedIOException(
                    new IOException("cannot open the crash record " + p + ": " + Errno.describe(e.getErrorCode())));
        }
    }

    /** Tries to take the flock {@code how} on {@code fd}, without waiting. */
    static Lock lock(int fd, int how) {
        try {
            LibC.flock(fd, how | LibC.LOCK_NB);
            return Lock.TAKEN;
        } catch (LastErrorException e) {
            return e.getErrorCode() == Errno.EAGAIN.code() ? Lock.HELD : Lock.UNSUPPORTED;
        }
    }

    /**
     * Before the first device in the root namespace (cookie {@code rootCookie}) is made with group
     * {@code group}; {@code reach} is how a cleaner in another namespace reaches it, as for
     * {@link #adoptedDevices}.
     */
    void rootDevices(long rootCookie, int group, String reach) {
        line("root " + Long.toUnsignedString(rootCookie) + " " + Integer.toUnsignedString(group) + " " + reach);
    }

    /**
     * Before the first device is made in an adopted namespace (cookie {@code cookie}) with group
     * {@code group}; {@code reach} is "netns NAME" (escaped), "pid PID" or "-" (unreachable later).
     */
    void adoptedDevices(long cookie, int group, String reach) {
        line("adopted " + Long.toUnsignedString(cookie) + " " + Integer.toUnsignedString(group) + " " + reach);
    }

    /** Written once the namespace exists, before anything under /run/netns is made for it. */
    void nsCreated(String name, long cookie) {
        line("ns " + Long.toUnsignedString(cookie) + " " + escape(name));
    }

    /**
     * Written once the file that will carry the name exists, before it carries the name; without its
     * birth time where the file system gives none (cleanup then cannot prove the file and leaves it).
     */
    void nsFile(String name, NameFile file) {
        line("ns-file " + Long.toUnsignedString(file.inode()) + " " + escape(name)
                + (file.birth() != 0 ? " " + file.birth() : ""));
    }

    /**
     * Written once a change has removed the named namespace (or undone it on failure) and its name no
     * longer holds it: the record no longer lists it. With cookie 0, once a name taken for a
     * namespace never made was given back.
     */
    void nsRemoved(String name, long cookie) {
        line("ns-del " + Long.toUnsignedString(cookie) + " " + escape(name));
    }

    /**
     * A process started detached in the namespace of cookie {@code cookie}, which the removal of the
     * detached topology ends: before {@link #kept}, or before {@link #letGo} (a start under way).
     * {@code pidfsInode}: its pidfd's inode, 0 where pidfds have none of their own (then left out).
     */
    void process(long pid, String startTime, long cookie, long pidfsInode) {
        line("process " + pid + " " + digits(startTime) + " " + Long.toUnsignedString(cookie)
                + (pidfsInode == 0 ? "" : " " + Long.toUnsignedString(pidfsInode)));
    }

    /**
     * Before the commit that makes the inet table {@code name} in the namespace of cookie
     * {@code cookie}; {@code reach} as for {@link #adoptedDevices}.
     */
    void nftTable(long cookie, String name, String reach) {
        line("nft-table " + Long.toUnsignedString(cookie) + " " + tableName(name) + " " + reach);
    }

    /** Once the commit that made the table {@code name} echoed its handle. */
    void nftTableHandle(long cookie, String name, long handle) {
        line("nft-table-handle " + Long.toUnsignedString(cookie) + " " + tableName(name) + " "
                + Long.toUnsignedString(handle));
    }

    /** Once the table {@code name} is deleted, or was never made. */
    void nftTableDeleted(long cookie, String name) {
        line("nft-table-del " + Long.toUnsignedString(cookie) + " " + tableName(name));
    }

    /**
     * Before the add of a root qdisc of kind {@code kind} on device {@code index} of the namespace of
     * cookie {@code cookie}; {@code reach} as for {@link #adoptedDevices}. Returns the note's number,
     * for {@link #rootQdiscHandle} and {@link #rootQdiscDeleted}.
     */
    synchronized long rootQdisc(long cookie, int index, String kind, String reach) {
        long note = qdiscNotes + 1;
        line("qdisc " + Long.toUnsignedString(cookie) + " " + positive(index) + " " + note + " " + qdiscKind(kind) + " "
                + reach);
        qdiscNotes = note;
        return note;
    }

    /** The handle the root qdisc of the add noted as {@code note} on device {@code index} is added with, before the add. */
    void rootQdiscHandle(long cookie, int index, long note, long handle) {
        line("qdisc-handle " + Long.toUnsignedString(cookie) + " " + positive(index) + " " + positive(note) + " "
                + qdiscHandle(Long.toUnsignedString(handle)));
    }

    /** Once the root qdisc of the add noted as {@code note} on device {@code index} is deleted, or was never added. */
    void rootQdiscDeleted(long cookie, int index, long note) {
        line("qdisc-del " + Long.toUnsignedString(cookie) + " " + positive(index) + " " + positive(note));
    }

    /**
     * Before the add of an ingress qdisc on device {@code index} of the namespace of cookie
     * {@code cookie} with a u32 filter of priority {@code priority} mirroring to device {@code to}, its
     * action marked with {@code actionCookie} (chosen before the adds: the proof of a filter whose
     * handle's line a kill cut off);
     * {@code reach} as for {@link #adoptedDevices}. Returns the note's number (counted with the root
     * qdiscs'), for {@link #mirrorFilter} and {@link #mirrorDeleted}.
     */
    synchronized long mirror(long cookie, int index, int priority, int to, String actionCookie, String reach) {
        if (to == index) {
            throw new IllegalArgumentException("a device mirrored onto itself: " + index);
        }
        long note = qdiscNotes + 1;
        line("mirror " + Long.toUnsignedString(cookie) + " " + positive(index) + " " + note + " "
                + filterPriority(Integer.toString(priority)) + " " + positive(to) + " " + actionCookie(actionCookie)
                + " " + reach);
        qdiscNotes = note;
        return note;
    }

    /**
     * Once the filter's add of the mirror noted as {@code note} on device {@code index} echoed its u32
     * handle and its action's cookie {@code actionCookie} (as {@link #actionCookie} reads it).
     */
    void mirrorFilter(long cookie, int index, long note, long handle, String actionCookie) {
        line("mirror-filter " + Long.toUnsignedString(cookie) + " " + positive(index) + " " + positive(note) + " "
                + u32Node(Long.toUnsignedString(handle)) + " " + actionCookie(actionCookie));
    }

    /** Once the mirror noted as {@code note} on device {@code index} is deleted, or was never added. */
    void mirrorDeleted(long cookie, int index, long note) {
        line("mirror-del " + Long.toUnsignedString(cookie) + " " + positive(index) + " " + positive(note));
    }

    /** Before device {@code index}, named {@code name} and up, is set down by a cut; {@code reach} as for {@link #adoptedDevices}. */
    void linkDown(long cookie, int index, String name, String reach) {
        line("link-down " + Long.toUnsignedString(cookie) + " " + positive(index) + " " + Names.checkInterface(name)
                + " " + reach);
    }

    /** Once a cut of device {@code index} healed. */
    void linkUp(long cookie, int index) {
        line("link-up " + Long.toUnsignedString(cookie) + " " + positive(index));
    }

    private static int positive(int index) {
        if (index <= 0) {
            throw new IllegalArgumentException("not an ifindex: " + index);
        }
        return index;
    }

    private static long positive(long note) {
        if (note <= 0) {
            throw new IllegalArgumentException("not a note: " + note);
        }
        return note;
    }

    /** Marks the topology as deliberately left running: {@link Cleaner#cleanup} leaves it alone. */
    void kept() {
        line("kept");
        release();
    }

    /**
     * Marks the topology as deliberately left running, as {@link #kept()}, but keeps the record open
     * (and locked) for the lines that the detach still writes: the faults of netvirt-faults on the
     * namespaces it does not own heal when their handles close, and note it ({@link RecordJournal});
     * {@link #letGo()} once they have.
     */
    void keptOpen() {
        line("kept");
    }

    /** Lets a record marked by {@link #keptOpen()} go; later lines are refused. */
    void letGo() {
        release();
    }

    /**
     * Appends the line {@code s}, whole or not at all.
     *
     * @throws UncheckedIOException if it cannot be written: the record is as before (where the part
     *     written cannot even be cut off, no later line is written until it can)
     */
    synchronized void line(String s) {
        if (fd < 0) {
            throw new IllegalStateException("crash record " + path + " is closed");
        }
        if (cut) {
            cutBack();
        }
        byte[] b = (s + "\n").getBytes(StandardCharsets.UTF_8);
        int done = 0;
        int errno = 0;
        while (done < b.length) {
            // a full file system takes what fits: the rest is tried again, for the reason it does not fit
            byte[] rest = done == 0 ? b : Arrays.copyOfRange(b, done, b.length);
            long n = LibC.write(fd, rest, rest.length);
            if (n <= 0) {
                errno = n < 0 ? LibC.errno() : 0;
                break;
            }
            done += (int) n;
        }
        if (done == b.length) {
            length += done;
            return;
        }
        cut = done > 0;
        IOException e = new IOException(
                "cannot write the crash record " + path + ": " + (errno != 0 ? Errno.describe(errno) : "short write"));
        if (cut) {
            try {
                cutBack();
            } catch (UncheckedIOException c) {
                e.addSuppressed(c.getCause());
            }
        }
        throw new UncheckedIOException(e.getMessage(), e);
    }

    /** Cuts the part of a line written off the record, back to its complete lines. */
    private void cutBack() {
        try {
            LibC.ftruncate(fd, length);
            cut = false;
        } catch (LastErrorException e) {
            throw new UncheckedIOException(new IOException("cannot cut the crash record " + path
                    + " back to its last complete line: " + Errno.describe(e.getErrorCode())));
        }
    }

    private synchronized void release() {
        Sys.closeQuietly(fd);
        fd = -1;
        OWN.remove(path.toAbsolutePath().normalize()); // after the close: until then its lock tells that it lives
    }

    /**
     * Lets the record go with part of what it names left (its topology's teardown failed): its lock is
     * dropped and the file left. A cleanup in this process then takes it for a dead owner's (it names
     * this process but is no longer one this process holds) and removes what is left, by identity; a
     * cleanup of another process sees its owner running (pid and start time) and leaves it until this
     * process exits. Later lines are refused.
     */
    void abandon() {
        release();
    }

    /** Everything recorded is gone: the record goes too. */
    @Override
    public void close() {
        try {
            LibC.unlink(LibC.path(path.toString())); // while locked: no cleaner claims it meanwhile
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ENOENT.code()) {
                throw new UncheckedIOException(new IOException(
                        "cannot remove the crash record " + path + ": " + Errno.describe(e.getErrorCode())));
            }
        } finally {
            release();
        }
    }

    // ------------------------------------------------------------ reading back

    /** The index of the last of {@code ns} named {@code name}, or -1. */
    private static int lastOf(List<Ns> ns, String name) {
        for (int at = ns.size() - 1; at >= 0; at--) {
            if (ns.get(at).name().equals(name)) {
                return at;
            }
        }
        return -1;
    }

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

    /**
     * The reach in the last fields of {@code f}, from {@code at} on ("netns NAME", "pid PID" or "-"),
     * validated, for the namespace of {@code cookie} (and device group {@code group}).
     */
    /** The words a reach begins with. */
    private static final Set<String> REACHES = Set.of("netns", "pid", "-");

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
