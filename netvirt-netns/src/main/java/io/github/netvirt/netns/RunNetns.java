package io.github.netvirt.netns;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.LibC;
import io.github.netvirt.netns.sys.Sys;
import io.github.netvirt.netns.sys.SyscallException;
import java.nio.file.Path;

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

    static void mountAt(Path path, String nsFile) {
        try {
            LibC.mount(nsFile, path.toString(), "none", LibC.MS_BIND, null);
        } catch (LastErrorException e) {
            throw new SyscallException("bind-mount namespace onto " + path, e.getErrorCode());
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
