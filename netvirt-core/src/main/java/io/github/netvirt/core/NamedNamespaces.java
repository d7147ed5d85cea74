package io.github.netvirt.core;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.NetnsException;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.LibC;
import io.github.netvirt.netns.sys.Sys;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gives an existing (ephemeral) namespace a name under {@code /run/netns}, as {@code ip netns attach}
 * does. Creating the namespace first and naming it second lets the crash record hold the namespace's
 * identity before its name exists, so a crash at any moment leaves nothing unaccounted for.
 */
final class NamedNamespaces {
    static final Path RUN_NETNS = Path.of("/run/netns");
    private static volatile boolean prepared;

    private NamedNamespaces() {
    }

    /** The nsfs inode of a handle, from its id {@code net:[4026532284]}. */
    static long inode(NetNamespace ns) {
        String id = ns.id();
        return Long.parseLong(id.substring(id.indexOf('[') + 1, id.indexOf(']')));
    }

    /** The inode of the namespace mounted at {@code /run/netns/NAME}, -1 if none. */
    static long mountedInode(String name) {
        try {
            Object ino = Files.getAttribute(RUN_NETNS.resolve(name), "unix:ino");
            return ((Number) ino).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /**
     * True when {@code /run/netns/NAME} is an empty file with no namespace mounted on it: what a
     * process killed between the unmount and the unlink of a delete (or between the create and the
     * mount of an attach) leaves. It is not a namespace; {@code ip netns} cannot enter it.
     */
    static boolean isStrandedFile(String name) {
        Path p = RUN_NETNS.resolve(name);
        try {
            return Files.isRegularFile(p) && Files.size(p) == 0
                    && Files.getAttribute(p, "unix:dev").equals(Files.getAttribute(RUN_NETNS, "unix:dev"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static void removeStrandedFile(String name) {
        unlinkQuietly(RUN_NETNS.resolve(name));
    }

    /** Bind-mounts {@code ns} at {@code /run/netns/NAME}; EEXIST when the name is taken. */
    static void attach(NetNamespace ns, String name) {
        prepare();
        Path path = RUN_NETNS.resolve(name);
        try {
            Sys.closeQuietly(Sys.openCreateExclusive(path.toString(), 0));
        } catch (SyscallException e) {
            throw new NetnsException((e.is(Errno.EEXIST) ? "network namespace \"" + name + "\" already exists"
                    : "cannot create network namespace \"" + name + "\"") + ": " + e.errnoName(), e.errno());
        }
        try {
            LibC.mount("/proc/self/fd/" + ns.fd(), path.toString(), "none", LibC.MS_BIND, null);
        } catch (LastErrorException e) {
            unlinkQuietly(path);
            throw new NetnsException("cannot bind-mount a namespace onto " + path, e.getErrorCode());
        }
    }

    private static void unlinkQuietly(Path path) {
        try {
            LibC.unlink(path.toString());
        } catch (LastErrorException ignored) {
            // already gone
        }
    }

    /** {@code ip netns add}'s preamble: {@code /run/netns} exists and is a shared mount. */
    private static synchronized void prepare() {
        if (prepared) {
            return;
        }
        try {
            LibC.mkdir(RUN_NETNS.toString(), 0755);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EEXIST.code()) {
                throw new NetnsException("cannot create " + RUN_NETNS, e.getErrorCode());
            }
        }
        try {
            LibC.mount("", RUN_NETNS.toString(), "none", LibC.MS_SHARED | LibC.MS_REC, null);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EINVAL.code()) {
                throw new NetnsException("cannot make " + RUN_NETNS + " a shared mount", e.getErrorCode());
            }
            try {
                LibC.mount(RUN_NETNS.toString(), RUN_NETNS.toString(), "none", LibC.MS_BIND | LibC.MS_REC, null);
                LibC.mount("", RUN_NETNS.toString(), "none", LibC.MS_SHARED | LibC.MS_REC, null);
            } catch (LastErrorException e2) {
                throw new NetnsException("cannot make " + RUN_NETNS + " a shared mount", e2.getErrorCode());
            }
        }
        prepared = true;
    }
}
