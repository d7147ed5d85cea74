package io.github.netvirt.netns;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.internal.DirEntries;
import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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

    private RunNetns() {}

    /** Creates the empty file a namespace is bind-mounted onto: the name is taken atomically here. */
    static String reserve(String name) {
        String path = file(name);
        Sys.closeQuietly(create(name, path));
        return path;
    }

    /**
     * As {@link #reserve}, and the identity of the file made, by which {@link #removeLeftover} removes
     * it should no namespace be mounted on it.
     */
    static NameFile reserveProven(String name) {
        return createProven(name, file(name));
    }

    /**
     * Creates the empty file {@code path}, for the name {@code name}, and returns its identity (inode
     * number and birth time); one whose identity cannot be read is removed again.
     */
    private static NameFile createProven(String name, String path) {
        int fd = create(name, path);
        try {
            FileStat st = FileStat.of(fd);
            return new NameFile(st.inode(), st.birth());
        } catch (IOException e) {
            unlinkQuietly(path); // made just now, O_EXCL: ours
            throw new UncheckedIOException(e);
        } finally {
            Sys.closeQuietly(fd);
        }
    }

    /** The path of the file {@code name} directly under {@code /run/netns}. */
    static String file(String name) {
        return PREFIX + name;
    }

    /** Creates the empty file {@code path}, for the name {@code name}, and returns it open. */
    private static int create(String name, String path) {
        prepare();
        try {
            try {
                return Sys.openCreateExclusive(path, 0);
            } catch (SyscallException e) {
                if (!e.is(Errno.ENOENT)) {
                    throw e;
                }
                // someone removed /run/netns since this JVM prepared it: prepare it again
                synchronized (RunNetns.class) {
                    prepared = false;
                }
                prepare();
                return Sys.openCreateExclusive(path, 0);
            }
        } catch (SyscallException e) {
            throw cannotCreate(name, e);
        }
    }

    /** The failure to take the name {@code name}: EEXIST when it is taken. */
    private static NetnsException cannotCreate(String name, SyscallException e) {
        return NetnsException.from(
                e.is(Errno.EEXIST)
                        ? "network namespace \"" + name + "\" already exists"
                        : "cannot create network namespace \"" + name + "\"",
                e);
    }

    /** Where {@link NetNamespace#attach(String, Consumer)} makes the file before it links it to the name. */
    static String attaching(long cookie) {
        return PREFIX + ".netvirt-attach-" + Long.toUnsignedString(cookie);
    }

    /**
     * Takes the name {@code name} for a namespace whose file was made as {@code staging} first: the
     * staging file is created, its identity handed to {@code beforeNamed}, and only then linked to
     * the name (atomically; EEXIST if taken). The caller mounts onto the name and unlinks the staging
     * file. A process killed on the way leaves that empty file at one of the two names.
     */
    static String reserveLinked(String name, String staging, Consumer<NameFile> beforeNamed) {
        String path = file(name);
        NameFile made = createProven(staging.substring(PREFIX.length()), staging);
        try {
            beforeNamed.accept(made);
            LibC.link(LibC.path(staging), LibC.path(path));
        } catch (LastErrorException e) {
            unlinkQuietly(staging);
            throw cannotCreate(name, SyscallException.of("link " + path, e.getErrorCode()));
        } catch (RuntimeException e) {
            unlinkQuietly(staging);
            throw e;
        }
        return path;
    }

    static void unlinkQuietly(String path) {
        try {
            LibC.unlink(LibC.path(path));
        } catch (LastErrorException ignored) {
            // already gone
        }
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
            FileStat mine = FileStat.of(heldFd);
            FileStat now = FileStat.of(DIR.resolve(name).toString(), true);
            if (mine.isSameFile(now)) {
                return NameState.SAME;
            }
            // a namespace's file is on nsfs, as the held one is: anything else mounts no namespace
            return now.device() == mine.device() ? NameState.OTHER : NameState.NOT_A_NAMESPACE;
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
     * Removes {@code path}, a file directly under {@code /run/netns}, if it is the empty regular
     * file {@code made} (any: null) on {@code /run/netns}'s file system with nothing mounted on it:
     * what a process killed while naming or un-naming a namespace leaves. The inode number must
     * match and so must the birth time: ext4 gives a freed inode number to the next file made
     * (measured: 2000 files made and removed in a row in /run/netns, all the same number), never
     * the same birth time. An unknown birth time (0) proves nothing.
     */
    static boolean removeLeftover(Path path, NameFile made) {
        if (!DIR.equals(path.getParent())) {
            throw new IllegalArgumentException(path + " is not a file under " + DIR);
        }
        try {
            FileStat a = FileStat.of(path.toString(), false);
            boolean leftover = a.isRegularFile()
                    && a.size() == 0
                    && (made == null || made.birth() != 0 && a.inode() == made.inode() && a.birth() == made.birth())
                    && a.device() == FileStat.of(DIR.toString(), true).device();
            if (!leftover) {
                return false;
            }
        } catch (IOException e) {
            return false; // not there (or not readable): nothing of ours to remove
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
