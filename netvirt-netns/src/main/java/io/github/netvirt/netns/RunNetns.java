package io.github.netvirt.netns;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.internal.DirEntries;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.ProcPids;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Names of namespaces as {@code ip netns} keeps them: an empty file under {@code /run/netns} with the
 * namespace bind-mounted onto it, in a directory that is a shared mount.
 */
final class RunNetns {
    static final Path DIR = Path.of("/run/netns");
    /** {@link #DIR} as the start of a file's path: names are joined as strings where apply runs interpreted. */
    private static final String PREFIX = DIR + "/";
    /** mount(2)'s file-system type for a bind mount or a propagation change (ignored there). */
    private static final byte[] NONE = LibC.path("none");

    private static boolean prepared;
    /** Whether {@code /run/netns}'s file system makes unnamed files ({@code O_TMPFILE}); false once it refused. */
    private static volatile boolean unnamedFiles = true;
    /** The start of a staging file's name ({@link #staging}). */
    private static final String STAGING = ".netvirt-take-";
    /** {@link #stagingPrefix} of this process, under {@code /run/netns}, once worked out. */
    private static volatile String stagingSelf;
    /** The staging files this process has made. */
    private static final AtomicLong STAGED = new AtomicLong();
    /** Whether this JVM has removed the staging files of dead processes ({@link #removeDeadStaging}). */
    private static boolean sweptStaging;

    private RunNetns() {}

    /**
     * Takes the name {@code name}: makes the empty file a namespace is bind-mounted onto, hands its
     * identity (inode number and birth time) to {@code beforeNamed}, and only then gives it the name
     * (atomically; EEXIST if taken). The file is made unnamed ({@code O_TMPFILE}): a process killed
     * before it has the name leaves nothing, as the kernel frees an unnamed file with its last fd.
     * Where {@code /run/netns}'s file system makes no unnamed file (overlayfs before Linux 6.6, as a
     * container's {@code /run}), it is made under a staging name of this process ({@link #staging}),
     * linked to the name, and the staging name removed: a kill on the way leaves that file, which the
     * first take this way in a later JVM removes ({@link #removeDeadStaging}), or a cleaner that knows
     * the process dead ({@link #stagingFiles}). Its maker holds a lock on it while it is there.
     *
     * @throws NetnsException if the name is taken (EEXIST) or the file cannot be made
     * @throws RuntimeException what {@code beforeNamed} throws, before the name exists
     */
    static NameFile take(String name, Consumer<NameFile> beforeNamed) {
        String path = file(name);
        String staging = null;
        int fd = unnamedFiles ? openUnnamed(name) : -1;
        if (fd < 0) {
            removeDeadStaging();
        }
        for (int tries = 0; fd < 0; tries++) {
            staging = staging();
            fd = openStaging(name, staging, tries);
        }
        try {
            NameFile made;
            try {
                FileStat st = FileStat.of(fd);
                made = new NameFile(st.inode(), st.birth());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            beforeNamed.accept(made);
            try {
                if (staging == null) {
                    // linkat names an unnamed file only through its /proc link, followed (or AT_EMPTY_PATH,
                    // which wants CAP_DAC_READ_SEARCH)
                    LibC.linkat(
                            LibC.AT_FDCWD,
                            LibC.path("/proc/self/fd/" + fd),
                            LibC.AT_FDCWD,
                            LibC.path(path),
                            LibC.AT_SYMLINK_FOLLOW);
                } else {
                    LibC.linkat(LibC.AT_FDCWD, LibC.path(staging), LibC.AT_FDCWD, LibC.path(path), 0);
                }
            } catch (LastErrorException e) {
                throw cannotCreate(name, SyscallException.of("link " + path, e.getErrorCode()));
            }
            return made;
        } finally {
            if (staging != null) {
                unlinkStaging(staging);
            }
            Sys.closeQuietly(fd);
        }
    }

    /** The path of the file {@code name} directly under {@code /run/netns}. */
    static String file(String name) {
        return PREFIX + name;
    }

    /**
     * Opens a new unnamed file in {@code /run/netns}, for the name {@code name}; -1 (and none from
     * now on) where its file system makes none.
     */
    private static int openUnnamed(String name) {
        try {
            return openIn(LibC.path(DIR.toString()), LibC.O_TMPFILE | LibC.O_WRONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EOPNOTSUPP.code()) {
                unnamedFiles = false;
                return -1;
            }
            throw cannotCreate(name, SyscallException.of("create an unnamed file in " + DIR, e.getErrorCode()));
        }
    }

    /** {@code open(path, flags, 0)} of a file in {@code /run/netns}, which it prepares first. */
    private static int openIn(byte[] path, int flags) {
        prepare();
        try {
            return LibC.open(path, flags, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ENOENT.code()) {
                throw e;
            }
            // someone removed /run/netns since this JVM prepared it: prepare it again
            synchronized (RunNetns.class) {
                prepared = false;
            }
            prepare();
            return LibC.open(path, flags, 0);
        }
    }

    /**
     * Makes the empty file {@code staging}, for the name {@code name}, and locks it; -1 if it exists (a
     * namespace someone named so, or a file a process of an earlier boot with this pid and start time
     * left on a {@code /run} that outlived it), or another process locked it first (one that took this
     * process for dead: {@link #removeDeadStaging}), for the first {@code tries}.
     */
    private static int openStaging(String name, String staging, int tries) {
        int fd;
        try {
            fd = openIn(
                    LibC.path(staging), LibC.O_CREAT | LibC.O_EXCL | LibC.O_WRONLY | LibC.O_NOFOLLOW | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EEXIST.code() && tries < 100) {
                return -1;
            }
            SyscallException se = SyscallException.of("create " + staging, e.getErrorCode());
            throw NetnsException.from("cannot create network namespace \"" + name + "\"", se, refusedHint(se));
        }
        try {
            LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB);
            return fd;
        } catch (LastErrorException e) {
            Sys.closeQuietly(fd);
            if (e.getErrorCode() == Errno.EAGAIN.code() && tries < 100) { // EWOULDBLOCK: the locker removes it
                return -1;
            }
            unlinkStaging(staging);
            throw NetnsException.from(
                    "cannot create network namespace \"" + name + "\"",
                    SyscallException.of("lock " + staging, e.getErrorCode()));
        }
    }

    /**
     * Removes, once in this JVM, the staging files under {@code /run/netns} whose makers are dead: what
     * a process killed while it took a name leaves ({@link #take}). A maker is dead when no process
     * runs with the pid and start time its file's name carries ({@link ProcPids#alive}: a zombie does
     * not), and no one holds the lock it held on the
     * file (one in a pid namespace that {@code /proc} numbers otherwise still holds it). Only an empty
     * regular file with nothing mounted on it is removed ({@link #removeLeftover}); a file it cannot
     * read or remove is left, as it was.
     */
    private static void removeDeadStaging() {
        synchronized (RunNetns.class) {
            if (sweptStaging) {
                return;
            }
            sweptStaging = true;
        }
        List<Path> dead = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(DIR, STAGING + "*")) {
            for (Path p : all) {
                String[] owner =
                        p.getFileName().toString().substring(STAGING.length()).split("-", -1);
                // at most 18 digits: a pid that parses, never an exception that ends the sweep
                if (owner.length == 3
                        && digits(owner[0])
                        && digits(owner[1])
                        && digits(owner[2])
                        && !ProcPids.alive(Long.parseLong(owner[0]), owner[1])) {
                    dead.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // not listed: nothing removed
        }
        for (Path p : dead) {
            removeUnlocked(p);
        }
    }

    private static boolean digits(String s) {
        return !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Removes the leftover {@code path} unless someone holds a lock on it; returns whether it removed it. */
    private static boolean removeUnlocked(Path path) {
        int fd;
        try {
            fd = LibC.open(
                    LibC.path(path.toString()), LibC.O_RDONLY | LibC.O_NOFOLLOW | LibC.O_NONBLOCK | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            return false; // gone, or not a file to open
        }
        try {
            LibC.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB);
            return removeLeftover(path, null);
        } catch (LastErrorException | NetnsException e) {
            return false; // locked by its maker, or not removed: left as it was
        } finally {
            Sys.closeQuietly(fd);
        }
    }

    /**
     * Removes the staging files of process {@code pid} started at {@code startTime} ({@link
     * #stagingFiles}) that a kill left: none while that process runs, and none someone holds locked
     * (their maker, under another pid in a pid namespace {@code /proc} numbers otherwise). Returns
     * those it removed.
     */
    static List<Path> removeStaging(long pid, String startTime) {
        List<Path> removed = new ArrayList<>();
        if (ProcPids.alive(pid, startTime)) {
            return removed;
        }
        for (Path p : stagingFiles(pid, startTime)) {
            if (removeUnlocked(p)) {
                removed.add(p);
            }
        }
        return removed;
    }

    private static void unlinkStaging(String staging) {
        try {
            LibC.unlink(LibC.path(staging));
        } catch (LastErrorException ignored) {
            // gone already, or the kernel refused: a file left is removed by a cleaner once this process is dead
        }
    }

    /**
     * A new staging name of this process: {@code /run/netns/.netvirt-take-PID-STARTTIME-N}, by its pid
     * as {@code /proc} numbers it and its start time (field 22 of {@code /proc/PID/stat}), which no
     * other process has while it runs, and a number that counts up.
     */
    private static String staging() {
        String self = stagingSelf;
        if (self == null) {
            long pid = ProcPids.self();
            self = PREFIX + stagingPrefix(pid, ProcPids.startTime(pid));
            stagingSelf = self;
        }
        return self + STAGED.incrementAndGet();
    }

    /** The start of the staging files' names of process {@code pid} started at {@code startTime}. */
    private static String stagingPrefix(long pid, String startTime) {
        return STAGING + pid + "-" + startTime + "-";
    }

    /**
     * The staging files under {@code /run/netns} of process {@code pid} started at {@code startTime}
     * (see {@link #take}): for a cleaner that knows that process dead.
     */
    static List<Path> stagingFiles(long pid, String startTime) {
        if (pid <= 0 || !digits(startTime)) {
            throw new IllegalArgumentException("not a pid and start time: " + pid + " " + startTime);
        }
        String prefix = stagingPrefix(pid, startTime);
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(DIR, prefix + "*")) {
            for (Path p : all) {
                if (digits(p.getFileName().toString().substring(prefix.length()))) {
                    found.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** The failure to take the name {@code name}: EEXIST when it is taken. */
    private static NetnsException cannotCreate(String name, SyscallException e) {
        return NetnsException.from(
                e.is(Errno.EEXIST)
                        ? "network namespace \"" + name + "\" already exists"
                        : "cannot create network namespace \"" + name + "\"",
                e,
                refusedHint(e));
    }

    /**
     * What lets a user in where {@code /run/netns} refused it a file (EACCES): a user other than root
     * with CAP_NET_ADMIN and CAP_SYS_ADMIN makes unnamed namespaces, but root's 0755 directory keeps
     * it from naming one. Null for another errno.
     */
    private static String refusedHint(SyscallException e) {
        return e.is(Errno.EACCES)
                ? "this user may not write " + DIR + " (root's, mode 0755): naming a namespace needs root, "
                        + "CAP_DAC_OVERRIDE, or netvirt's user-namespace sandbox (bin/netvirt-run)"
                : null;
    }

    /**
     * Where an earlier netvirt made the file for a name before it linked it to the name (named for
     * the namespace's cookie); this one makes it unnamed ({@link #take}).
     */
    static String attaching(long cookie) {
        return PREFIX + ".netvirt-attach-" + Long.toUnsignedString(cookie);
    }

    static void mountAt(String path, String nsFile) {
        try {
            LibC.mount(LibC.path(nsFile), LibC.path(path), NONE, LibC.MS_BIND, null);
        } catch (LastErrorException e) {
            throw SyscallException.of("bind-mount namespace onto " + path, e.getErrorCode());
        }
    }

    /**
     * The {@code ip netns add} preamble: {@code /run/netns} exists and is a shared mount. Done once
     * per JVM ({@code ip} repeats it per namespace; it takes the kernel's mount lock each time).
     */
    private static synchronized void prepare() {
        if (prepared) {
            return;
        }
        byte[] dir = LibC.path(DIR.toString());
        byte[] empty = LibC.path("");
        try {
            LibC.mkdir(dir, 0755);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EEXIST.code()) {
                throw new NetnsException("cannot create " + DIR, e.getErrorCode());
            }
        }
        try {
            LibC.mount(empty, dir, NONE, LibC.MS_SHARED | LibC.MS_REC, null);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EINVAL.code()) {
                throw new NetnsException("cannot make " + DIR + " a shared mount", e.getErrorCode());
            }
            // not a mount point yet: bind it onto itself, then make it shared
            try {
                LibC.mount(dir, dir, NONE, LibC.MS_BIND | LibC.MS_REC, null);
                LibC.mount(empty, dir, NONE, LibC.MS_SHARED | LibC.MS_REC, null);
            } catch (LastErrorException e2) {
                throw new NetnsException("cannot make " + DIR + " a shared mount", e2.getErrorCode());
            }
        }
        prepared = true;
    }

    /**
     * Whether {@code /run/netns/NAME} holds {@code held}, a namespace this process holds open: while
     * it is held its nsfs inode cannot be handed to another namespace, so equal inodes (on the nsfs
     * device) prove identity without entering it.
     */
    static NameState compareHeld(String name, int heldFd) {
        try {
            return compare(FileStat.of(heldFd), FileStat.of(DIR.resolve(name).toString(), true));
        } catch (NoSuchFileException e) {
            return NameState.ABSENT;
        } catch (IOException e) {
            return NameState.OTHER;
        }
    }

    /** Whether {@code /run/netns/NAME} holds the namespace whose cookie is {@code cookie}. */
    static NameState compareCookie(String name, long cookie) {
        Path p = DIR.resolve(name);
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return NameState.ABSENT;
        }
        if (Files.isSymbolicLink(p)) {
            return NameState.OTHER; // not how netvirt or ip netns name namespaces
        }
        NetNamespace ns;
        try {
            ns = NetNamespace.open(name);
        } catch (NetnsException e) {
            return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? NameState.NOT_A_NAMESPACE : NameState.ABSENT;
        }
        try {
            return ns.cookie() == cookie ? NameState.SAME : NameState.OTHER;
        } finally {
            ns.close();
        }
    }

    /** Whether the directory entry {@code name} under {@link #DIR} holds {@code made}'s inode number. */
    static boolean isNameFile(String name, NameFile made) {
        try {
            return DirEntries.inodeOf(DIR.toString(), name) == made.inode();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether {@code path}, a file directly under {@code /run/netns}, is the empty regular file
     * {@code made} (any: null) on {@code /run/netns}'s file system with nothing mounted on it (see
     * {@link #removeLeftover}).
     */
    static boolean isLeftover(Path path, NameFile made) {
        if (!DIR.equals(path.getParent())) {
            throw new IllegalArgumentException(path + " is not a file under " + DIR);
        }
        try {
            FileStat a = FileStat.of(path.toString(), false);
            return a.isRegularFile()
                    && a.size() == 0
                    && (made == null || made.birth() != 0 && a.inode() == made.inode() && a.birth() == made.birth())
                    && a.device() == FileStat.of(DIR.toString(), true).device();
        } catch (IOException e) {
            return false; // not there (or not readable): nothing of ours
        }
    }

    /**
     * Removes {@code path}, a file directly under {@code /run/netns}, if it is the empty regular
     * file {@code made} (any: null) on {@code /run/netns}'s file system with nothing mounted on it:
     * what a process killed while naming or un-naming a namespace leaves. The inode number must
     * match and so must the birth time: ext4 gives a freed inode number to the next file made
     * (measured: 2000 files made and removed in a row in /run/netns, all the same number), never
     * the same birth time. An unknown birth time (0) proves nothing.
     */
    static boolean removeLeftover(Path path, NameFile made) {
        if (!isLeftover(path, made)) {
            return false;
        }
        try {
            LibC.unlink(LibC.path(path.toString()));
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT.code()) {
                return false;
            }
            throw new NetnsException("cannot remove " + path, e.getErrorCode());
        }
    }

    /** What the namespace a name was opened to is, compared with the one expected ({@link #removeIf}). */
    @FunctionalInterface
    interface Proof {
        /** Compares the namespace open at {@code fd} (opened through the name) with the one expected. */
        NameState of(int fd);
    }

    /** The proof by the namespace held open at {@code heldFd}, whose nsfs inode no other namespace can have meanwhile. */
    static Proof held(int heldFd) {
        return fd -> {
            try {
                return compare(FileStat.of(heldFd), FileStat.of(fd));
            } catch (IOException e) {
                return NameState.OTHER;
            }
        };
    }

    /** What the file {@code now} a name leads to holds, compared with the namespace held open as {@code mine}. */
    private static NameState compare(FileStat mine, FileStat now) {
        if (mine.isSameFile(now)) {
            return NameState.SAME;
        }
        // a namespace's file is on nsfs, as the held one is: anything else mounts no namespace
        return now.device() == mine.device() ? NameState.OTHER : NameState.NOT_A_NAMESPACE;
    }

    /**
     * Removes the name {@code name} if {@code proof} finds that it holds the namespace expected, and
     * returns what it found. The mount removed is the one proven, through the fd the name was opened
     * to: an unmount of the name would remove whatever it holds by then, which is someone else's
     * namespace if they removed the name and took it again since. A symbolic link at the name is
     * proven by what it leads to, and only the link is removed.
     *
     * @throws NetnsException if the kernel refuses the unlink
     */
    static NameState removeIf(String name, Proof proof) {
        String path = file(name);
        boolean link = false;
        int fd;
        try {
            // O_NONBLOCK: a FIFO put at the name would block the open until someone writes to it
            fd = Sys.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_NOFOLLOW);
        } catch (SyscallException e) {
            if (!e.is(Errno.ELOOP)) {
                return e.is(Errno.ENOENT) ? NameState.ABSENT : NameState.OTHER;
            }
            try {
                fd = Sys.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK);
                link = true;
            } catch (SyscallException toNothing) {
                return toNothing.is(Errno.ENOENT) ? NameState.ABSENT : NameState.OTHER;
            }
        }
        try {
            NameState state = proof.of(fd);
            if (state != NameState.SAME) {
                return state;
            }
            if (!link) {
                // the magic link leads to the very mount the name was opened through: a mount
                // someone has put on the name since is another, and stays
                LibC.umount2(LibC.path("/proc/self/fd/" + fd), LibC.MNT_DETACH);
            }
        } catch (LastErrorException e) {
            // EINVAL: someone else has unmounted it since; the unlink below still removes the name
        } finally {
            Sys.closeQuietly(fd);
        }
        try {
            LibC.unlink(LibC.path(path));
        } catch (LastErrorException e) {
            // ENOENT: removed since; EBUSY: a namespace mounted on it since, someone else's
            if (e.getErrorCode() != Errno.ENOENT.code() && e.getErrorCode() != Errno.EBUSY.code()) {
                throw new NetnsException("cannot remove " + path, e.getErrorCode());
            }
        }
        return NameState.SAME;
    }

    /**
     * Removes the name {@code path}, as {@code ip netns del}: unmounts it and unlinks it. A symbolic
     * link put there is removed itself, and what it leads to is neither unmounted nor unlinked.
     *
     * @return false if there was nothing at {@code path}
     */
    static boolean remove(String path) {
        try {
            // umount2 follows a symbolic link unless told not to: a link planted at the name would
            // unmount whatever it leads to (unlink never follows the last component)
            LibC.umount2(LibC.path(path), LibC.MNT_DETACH | LibC.UMOUNT_NOFOLLOW);
        } catch (LastErrorException ignored) {
            // EINVAL: not mounted (a half-made namespace, or a symbolic link); the unlink below still removes the name
        }
        try {
            LibC.unlink(LibC.path(path));
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ENOENT.code()) {
                throw new NetnsException("cannot remove " + path, e.getErrorCode());
            }
            return false;
        }
    }
}
