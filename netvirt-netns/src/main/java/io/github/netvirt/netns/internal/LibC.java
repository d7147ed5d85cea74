package io.github.netvirt.netns.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * netvirt's one binding of the C library: JNA direct mapping ({@link Native#register}), registered
 * once for every module (netlink sockets, TAP frames, the relay, namespaces). Internal: exported only
 * to netvirt's own modules.
 *
 * <p>Two calling styles, told apart by the declaration:
 * <ul>
 * <li>methods declared {@code throws LastErrorException} (the control path) throw when the call
 * fails; {@link Sys} wraps the common ones into {@link io.github.netvirt.netns.sys.SyscallException};</li>
 * <li>the others (the data paths: raw addresses, frames, poll, close) return -1 and leave errno in
 * {@link #errno()}: no exception object, nothing allocated per call.</li>
 * </ul>
 * Direct mapping takes no varargs: {@code ioctl} and {@code open} have one fixed signature per use.
 * Paths are NUL-terminated bytes ({@link #path}): a {@code String} argument costs JNA two calls back
 * into Java and two charset look-ups by name per call.
 */
public final class LibC {
    static {
        // before JNA's first initialisation: no `/sbin/ldconfig -p` child process (it would start the
        // JDK's process-reaper thread on whatever thread touched JNA first), no unpacking per start
        JnaSetup.prepare();
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    private static final Charset JNU = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private LibC() {}

    /** {@code path} as the JDK hands paths to the kernel ({@code sun.jnu.encoding}), NUL-terminated. */
    public static byte[] path(String path) {
        byte[] p = path.getBytes(JNU);
        return Arrays.copyOf(p, p.length + 1);
    }

    /**
     * {@code O_NOFOLLOW} for {@code arch}: arm, arm64 and powerpc define it as 0100000, where their
     * 0400000 is O_LARGEFILE or O_DIRECT and would follow the link; the generic value elsewhere.
     */
    static int noFollow(String arch) {
        return switch (arch) {
            case "aarch64", "arm64", "arm", "ppc64le", "ppc64", "ppc" -> 0100000;
            default -> 0400000;
        };
    }

    /**
     * {@code O_TMPFILE} for {@code arch}: {@code __O_TMPFILE} (020000000 everywhere) with the
     * architecture's {@code O_DIRECTORY}, which arm, arm64 and powerpc define as 040000.
     */
    static int tmpFile(String arch) {
        return 020000000
                | switch (arch) {
                    case "aarch64", "arm64", "arm", "ppc64le", "ppc64", "ppc" -> 040000;
                    default -> 0200000;
                };
    }

    /** Loads and registers the bindings now (tens of milliseconds in a fresh JVM) rather than in the first call. */
    public static void load() {}

    /** The errno of this thread's last failed call of a method that returns -1 instead of throwing. */
    public static int errno() {
        return Native.getLastError();
    }

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NONBLOCK = 04000;
    public static final int O_APPEND = 02000;
    /** The one open flag whose value differs between x86-64 and aarch64 among those netvirt uses. */
    public static final int O_NOFOLLOW = noFollow(System.getProperty("os.arch", ""));

    public static final int O_CLOEXEC = 02000000;
    /** An unnamed file in the directory opened, which {@link #linkat} can name later. */
    public static final int O_TMPFILE = tmpFile(System.getProperty("os.arch", ""));

    public static final int CLONE_NEWNET = 0x40000000;

    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_SHARED = 1 << 20;
    public static final int MNT_DETACH = 2;
    /** umount2: a symbolic link as the last component is not followed (linux/fs.h). */
    public static final int UMOUNT_NOFOLLOW = 8;

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int AF_NETLINK = 16;
    public static final int AF_PACKET = 17;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_RCVTIMEO = 20;
    public static final int SO_SNDBUFFORCE = 32;
    public static final int SO_RCVBUFFORCE = 33;
    /** The network namespace's cookie, a u64 the kernel never reuses while it is up (Linux 5.14+). */
    public static final int SO_NETNS_COOKIE = 71;
    /** Kernel receive timestamps: a {@code timespec} control message of the same type on each {@code recvmsg}. */
    public static final int SO_TIMESTAMPNS = 35;

    public static final int SOL_PACKET = 263;
    public static final int PACKET_STATISTICS = 6;
    /** A {@code struct tpacket_auxdata} control message on each {@code recvmsg}: length, VLAN tag. */
    public static final int PACKET_AUXDATA = 8;

    public static final long SIOCGIFINDEX = 0x8933;

    public static final int AF_UNIX = 1;

    public static final int EFD_CLOEXEC = 02000000;
    public static final int EFD_NONBLOCK = 04000;
    public static final short POLLIN = 1;
    public static final short POLLOUT = 4;
    public static final short POLLERR = 8;
    public static final short POLLHUP = 16;
    public static final short POLLNVAL = 32;
    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_DONTWAIT = 0x40;
    // numbered alike on every architecture, as every system call from 424 on
    public static final long SYS_PIDFD_SEND_SIGNAL = 424;
    public static final long SYS_IO_URING_SETUP = 425;
    public static final long SYS_IO_URING_ENTER = 426;
    public static final long SYS_PIDFD_OPEN = 434;
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int SIGSTOP = 19;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final int MAP_POPULATE = 0x8000;
    public static final long MAP_FAILED = -1;

    public static native int open(byte[] path, int flags, int mode) throws LastErrorException;

    /** Returns -1 on failure (errno: {@link #errno()}). */
    public static native int close(int fd);

    /** {@code buf}: a {@code struct statfs}, its {@code f_type} first. Returns -1 on failure (errno: {@link #errno()}). */
    public static native int fstatfs(int fd, byte[] buf);

    /** {@code f_type} of pidfs (Linux 6.9+), where pidfds live and each process has an inode of its own. */
    public static final long PIDFS_MAGIC = 0x50494446L;

    public static native int dup3(int oldFd, int newFd, int flags) throws LastErrorException;

    public static final int F_DUPFD_CLOEXEC = 1030;

    public static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    /** Returns -1 on failure (errno: {@link #errno()}). */
    public static native long read(int fd, byte[] buf, long count);

    /** Returns -1 on failure (errno: {@link #errno()}). */
    public static native long write(int fd, byte[] buf, long count);

    public static native int ftruncate(int fd, long length) throws LastErrorException;

    public static native int mkdir(byte[] path, int mode) throws LastErrorException;

    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;

    public static native int flock(int fd, int operation) throws LastErrorException;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int STATX_BTIME = 0x800;

    /** {@code getdents64(2)}'s number on this architecture (called as statx is), -1 when not known here. */
    public static final long SYS_GETDENTS64 = getdents64Number(System.getProperty("os.arch", ""));

    static long getdents64Number(String arch) {
        return switch (arch) {
            case "amd64", "x86_64", "arm" -> 217;
            case "aarch64", "riscv64", "loongarch64" -> 61;
            case "ppc64le", "ppc64" -> 202;
            case "s390x", "x86", "i386" -> 220;
            default -> -1;
        };
    }

    /** {@code statx(2)}'s number on this architecture, -1 when not known here. */
    public static final long SYS_STATX = statxNumber(System.getProperty("os.arch", ""));

    /**
     * statx is called through {@link #syscall} rather than glibc's wrapper, which glibc before 2.28
     * and musl before 1.2.5 lack (a missing symbol would fail the whole binding). {@code struct statx}
     * has one layout on every architecture.
     */
    static long statxNumber(String arch) {
        return switch (arch) {
            case "amd64", "x86_64" -> 332;
            case "aarch64", "riscv64", "loongarch64" -> 291;
            case "ppc64le", "ppc64", "x86", "i386" -> 383;
            case "s390x" -> 379;
            case "arm" -> 397;
            default -> -1;
        };
    }

    public static native int unlink(byte[] path) throws LastErrorException;

    public static native int linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, int flags)
            throws LastErrorException;

    public static native int mount(byte[] source, byte[] target, byte[] type, long flags, Pointer data)
            throws LastErrorException;

    public static native int umount2(byte[] target, int flags) throws LastErrorException;

    public static native int unshare(int flags) throws LastErrorException;

    public static native int setns(int fd, int nstype) throws LastErrorException;

    public static native int gettid() throws LastErrorException;

    public static native int socket(int domain, int type, int protocol) throws LastErrorException;

    public static native int bind(int fd, byte[] addr, int addrLen) throws LastErrorException;

    public static native int getsockname(int fd, byte[] addr, int[] addrLen) throws LastErrorException;

    public static native int setsockopt(int fd, int level, int name, int[] value, int len) throws LastErrorException;

    public static native int setsockopt(int fd, int level, int name, byte[] value, int len) throws LastErrorException;

    public static native int getsockopt(int fd, int level, int name, byte[] value, int[] len) throws LastErrorException;

    public static native int geteuid();

    public static final int CLOCK_BOOTTIME = 7;
    public static final int SC_CLK_TCK = 2;

    /** {@code timespec}: seconds and nanoseconds (64-bit). */
    public static native int clock_gettime(int clock, long[] timespec) throws LastErrorException;

    public static native long sysconf(int name);

    public static native long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrLen)
            throws LastErrorException;

    public static native long recvfrom(int fd, byte[] buf, long len, int flags, byte[] addr, int[] addrLen)
            throws LastErrorException;

    public static native int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

    /** {@code arg} a number or an address; returns -1 on failure (errno: {@link #errno()}). */
    public static native int ioctl(int fd, long request, long arg);

    /**
     * {@code fds} is an array of {@code struct pollfd} (8 bytes each: int fd, short events, short
     * revents). Returns -1 on failure (errno: {@link #errno()}).
     */
    public static native int poll(byte[] fds, long nfds, int timeoutMillis);

    /** Returns -1 on failure (errno: {@link #errno()}). */
    public static native int eventfd(int initval, int flags);

    // The data paths: raw addresses of direct memory, -1 and errno on failure, no allocation.

    public static native long read(int fd, long buf, long count);

    public static native long write(int fd, long buf, long count);

    public static native long sendto(int fd, long buf, long len, int flags, long addr, int addrLen);

    /** {@code addrLen}: the address of a {@code socklen_t}, or 0. */
    public static native long recvfrom(int fd, long buf, long len, int flags, long addr, long addrLen);

    /** {@code msg}: the address of a {@code struct msghdr}. */
    public static native long recvmsg(int fd, long msg, int flags);

    /** {@code fds}: the address of {@code nfds} {@code struct pollfd}. */
    public static native int poll(long fds, long nfds, int timeoutMillis);

    public static native int bind(int fd, long addr, int addrLen);

    /** {@code addrLen}: the address of a {@code socklen_t}. */
    public static native int getsockname(int fd, long addr, long addrLen);

    public static native int setsockopt(int fd, int level, int name, long value, int len);

    /** {@code value} and {@code length}: addresses of the option's buffer and of its {@code socklen_t}. */
    public static native int getsockopt(int fd, int level, int name, long value, long length);

    public static native long memcpy(long dst, long src, long n);

    /**
     * glibc's {@code syscall(2)}, for system calls it has no wrapper for (io_uring). It is variadic in
     * C; the generic Linux ABIs pass these integer arguments in the same registers either way, and
     * glibc's implementation reads only those.
     */
    public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    /** {@link #syscall} with two buffers, as {@code statx(dirfd, path, flags, mask, statxbuf)} takes. */
    public static native long syscall(long number, long a1, byte[] a2, long a3, long a4, byte[] a5);

    public static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    public static native int munmap(long addr, long length);
}
