package io.github.netvirt.netns;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Names of namespaces as {@code ip netns} keeps them: an empty file under {@code /run/netns} with the
 * namespace bind-mounted onto it, in a directory that is a shared mount.
 */
final class RunNetns {
    static final Path DIR = Path.of("/run/netns");
    private static boolean prepared;

    private RunNetns() {
    }

    /** Creates the empty file a namespace is bind-mounted onto: the name is taken atomically here. */
    static Path reserve(String name) {
        Path path = DIR.resolve(name);
        prepare();
        try {
            try {
                Sys.closeQuietly(Sys.openCreateExclusive(path.toString(), 0));
            } catch (SyscallException e) {
                if (!e.is(Errno.ENOENT)) {
                    throw e;
                }
                // someone removed /run/netns since this JVM prepared it: prepare it again
                synchronized (RunNetns.class) {
                    prepared = false;
                }
                prepare();
                Sys.closeQuietly(Sys.openCreateExclusive(path.toString(), 0));
            }
        } catch (SyscallException e) {
            throw NetnsException.from(e.is(Errno.EEXIST)
                    ? "network namespace \"" + name + "\" already exists"
                    : "cannot create network namespace \"" + name + "\"", e);
        }
        return path;
    }

    /** Where {@link NetNamespace#attach(String, LongConsumer)} makes the file before it links it to the name. */
    static Path attaching(long cookie) {
        return DIR.resolve(".netvirt-attach-" + Long.toUnsignedString(cookie));
    }

    /**
     * Takes the name {@code name} for a namespace whose file was made as {@code staging} first: the
     * staging file is created, its inode handed to {@code beforeNamed}, and only then linked to the
     * name (atomically; EEXIST if taken). The caller mounts onto the name and unlinks the staging
     * file. A process killed on the way leaves an empty file with that inode at one of the two names.
     */
    static Path reserveLinked(String name, Path staging, LongConsumer beforeNamed) {
        Path path = DIR.resolve(name);
        reserve(staging.getFileName().toString());
        try {
            beforeNamed.accept(((Number) Files.getAttribute(staging, "unix:ino")).longValue());
            LibC.link(staging.toString(), path.toString());
        } catch (LastErrorException e) {
            unlinkQuietly(staging);
            throw NetnsException.from(e.getErrorCode() == Errno.EEXIST.code()
                    ? "network namespace \"" + name + "\" already exists"
                    : "cannot create network namespace \"" + name + "\"",
                    SyscallException.of("link " + path, e.getErrorCode()));
        } catch (IOException e) {
            unlinkQuietly(staging);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            unlinkQuietly(staging);
            throw e;
        }
        return path;
    }

    static void unlinkQuietly(Path path) {
        try {
            LibC.unlink(path.toString());
        } catch (LastErrorException ignored) {
            // already gone
        }
    }

    static void mountAt(Path path, String nsFile) {
        try {
            LibC.mount(nsFile, path.toString(), "none", LibC.MS_BIND, null);
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
        try {
            LibC.mkdir(DIR.toString(), 0755);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EEXIST.code()) {
                throw new NetnsException("cannot create " + DIR, e.getErrorCode());
            }
        }
        try {
            LibC.mount("", DIR.toString(), "none", LibC.MS_SHARED | LibC.MS_REC, null);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EINVAL.code()) {
                throw new NetnsException("cannot make " + DIR + " a shared mount", e.getErrorCode());
            }
            // not a mount point yet: bind it onto itself, then make it shared
            try {
                LibC.mount(DIR.toString(), DIR.toString(), "none", LibC.MS_BIND | LibC.MS_REC, null);
                LibC.mount("", DIR.toString(), "none", LibC.MS_SHARED | LibC.MS_REC, null);
            } catch (LastErrorException e2) {
                throw new NetnsException("cannot make " + DIR + " a shared mount", e2.getErrorCode());
            }
        }
        prepared = true;
    }

    static void remove(Path path) {
        try {
            LibC.umount2(path.toString(), LibC.MNT_DETACH);
        } catch (LastErrorException ignored) {
            // EINVAL: not mounted (a half-made namespace); the unlink below still removes the name
        }
        try {
            LibC.unlink(path.toString());
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ENOENT.code()) {
                throw new NetnsException("cannot remove " + path, e.getErrorCode());
            }
        }
    }
}
