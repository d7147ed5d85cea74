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

import com.sun.jna.LastErrorException;
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
import java.util.Arrays;
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
     * handle and its action's cookie {@code actionCookie} (as {@link RecordFields#actionCookie} reads it).
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
}
