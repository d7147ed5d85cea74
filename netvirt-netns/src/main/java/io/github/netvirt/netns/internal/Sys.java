package io.github.netvirt.netns.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Checked wrappers over {@link LibC}: each turns a failing call into a {@link SyscallException}
 * (whose message is {@link io.github.netvirt.netns.sys.Errno#message}'s, the one place errno becomes
 * text) naming the call and its argument.
 */
public final class Sys {
    /** What {@link #pidfdOf} answers where no process has the pid. */
    public static final int NO_SUCH_PROCESS = -1;

    /** What {@link #pidfdOf} answers where the kernel refuses pidfds (before Linux 5.3, a seccomp filter, no fd left). */
    public static final int PIDFD_REFUSED = -2;

    private Sys() {}

    /**
     * A failed file operation on {@code what} as java.nio.file reports one: NoSuchFileException for
     * ENOENT, else a FileSystemException naming the errno.
     */
    public static IOException fileFailure(String what, int errno) {
        return errno == Errno.ENOENT.code()
                ? new NoSuchFileException(what)
                : new FileSystemException(what, null, Errno.describe(errno));
    }

    public static int open(String path, int flags) {
        try {
            return LibC.open(LibC.path(path), flags | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SyscallException.of("open " + path, e.getErrorCode());
        }
    }

    /** Closes {@code fd}, ignoring errors (there is nothing a caller can do about a failed close). */
    public static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        // EINTR still closes the fd on Linux; EBADF means it was closed already
        LibC.close(fd);
    }

    public static void setns(int fd, String what) {
        try {
            LibC.setns(fd, LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw SyscallException.of("setns " + what, e.getErrorCode());
        }
    }

    public static void unshareNet() {
        try {
            LibC.unshare(LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
            throw SyscallException.of("unshare(CLONE_NEWNET)", e.getErrorCode());
        }
    }

    public static int socket(int domain, int type, int protocol) {
        try {
            return LibC.socket(domain, type | LibC.SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw SyscallException.of("socket(" + domain + ", " + type + ", " + protocol + ")", e.getErrorCode());
        }
    }

    public static void setsockoptInt(int fd, int level, int name, int value) {
        try {
            LibC.setsockopt(fd, level, name, new int[] {value}, 4);
        } catch (LastErrorException e) {
            throw SyscallException.of("setsockopt(" + level + ", " + name + ")", e.getErrorCode());
        }
    }

    /**
     * The cookie of the calling thread's network namespace: {@code SO_NETNS_COOKIE} of a socket made
     * here. Unlike nsfs inode numbers, cookies are never reused while the machine is up.
     */
    public static long netnsCookie() {
        int fd = socket(LibC.AF_UNIX, LibC.SOCK_DGRAM, 0);
        try {
            return netnsCookie(fd);
        } finally {
            closeQuietly(fd);
        }
    }

    /** The cookie of the network namespace socket {@code fd} was made in. */
    public static long netnsCookie(int fd) {
        try {
            byte[] v = new byte[8];
            int[] len = {8};
            LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_NETNS_COOKIE, v, len);
            return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
        } catch (LastErrorException e) {
            throw SyscallException.of("getsockopt(SO_NETNS_COOKIE)", e.getErrorCode());
        }
    }

    /** A second descriptor of what {@code fd} refers to (close-on-exec). */
    public static int dup(int fd) {
        try {
            return LibC.fcntl(fd, LibC.F_DUPFD_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw SyscallException.of("fcntl(F_DUPFD_CLOEXEC)", e.getErrorCode());
        }
    }

    public static int eventfd(int flags) {
        int fd = LibC.eventfd(0, flags | LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw SyscallException.of("eventfd", LibC.errno());
        }
        return fd;
    }

    /**
     * Opens a pidfd of process {@code pid} (numbered as this JVM numbers it): a descriptor that keeps
     * naming that process, never one given its pid after it. {@link #NO_SUCH_PROCESS} when there is no
     * such process, {@link #PIDFD_REFUSED} when the kernel refuses: its callers then tell the process
     * by pid and start time, as the only way left.
     */
    public static int pidfdOf(long pid) {
        long fd = LibC.syscall(LibC.SYS_PIDFD_OPEN, pid, 0, 0, 0, 0, 0);
        if (fd >= 0) {
            return (int) fd;
        }
        int errno = LibC.errno();
        if (errno == Errno.ESRCH.code()) {
            return NO_SUCH_PROCESS;
        }
        // a rare path: the logger is not made at start-up, where every netvirt JVM loads this class
        System.getLogger(Sys.class.getName())
                .log(
                        System.Logger.Level.DEBUG,
                        "no pidfd of process {0}: {1}",
                        pid,
                        SyscallException.of("pidfd_open", errno));
        return PIDFD_REFUSED;
    }

    /** Sends {@code signal} to the process of {@code pidfd}, unless it has exited. */
    public static void pidfdSignal(int pidfd, int signal) {
        if (LibC.syscall(LibC.SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0, 0, 0) != 0
                && LibC.errno() != Errno.ESRCH.code()) {
            throw SyscallException.of("pidfd_send_signal", LibC.errno());
        }
    }

    /**
     * Whether the process of {@code pidfd} has exited (it may be a zombie its parent has not reaped
     * yet): the pidfd polls readable once the last of its threads has exited.
     */
    public static boolean pidfdExited(int pidfd) {
        byte[] pollfd = ByteBuffer.allocate(8)
                .order(ByteOrder.nativeOrder())
                .putInt(pidfd)
                .putShort(LibC.POLLIN)
                .array();
        while (true) {
            int r = LibC.poll(pollfd, 1, 0);
            if (r >= 0) {
                return r > 0;
            }
            if (LibC.errno() != Errno.EINTR.code()) {
                throw SyscallException.of("poll(pidfd)", LibC.errno());
            }
        }
    }

    /**
     * Whether the process of {@code pidfd} has been reaped, so that its pid may be another's: signal 0
     * is refused (ESRCH) only then, a zombie takes it.
     */
    public static boolean pidfdReaped(int pidfd) {
        if (LibC.syscall(LibC.SYS_PIDFD_SEND_SIGNAL, pidfd, 0, 0, 0, 0, 0) == 0) {
            return false;
        }
        if (LibC.errno() == Errno.ESRCH.code()) {
            return true;
        }
        throw SyscallException.of("pidfd_send_signal(0)", LibC.errno());
    }

    /**
     * The inode of the process of {@code pidfd} in pidfs (Linux 6.9+): on a 64-bit kernel no other
     * process of this boot has it, before or after. 0 where it is not that (pidfds of older kernels
     * share one anonymous inode; a 32-bit kernel reuses inode numbers).
     */
    public static long pidfsInode(int pidfd) {
        byte[] statfs = new byte[120];
        if (Native.LONG_SIZE != 8
                || LibC.fstatfs(pidfd, statfs) != 0
                || FileStat.number(statfs, 0, 8) != LibC.PIDFS_MAGIC) {
            return 0;
        }
        try {
            return FileStat.of(pidfd).inode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int gettid() {
        return LibC.gettid();
    }
}
