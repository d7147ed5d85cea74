package io.github.netvirt.netns.internal;

import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code statx(2)} says of a file: one system call, where {@code Files.readAttributes} with
 * the {@code unix:} view builds maps of every attribute (netvirt stats each namespace it makes and
 * removes). {@code device} is encoded as glibc's {@code makedev}, the value the JDK's
 * {@code unix:dev} reports; {@code birth} is the birth time in nanoseconds since the epoch, 0 when
 * the file system (or the JDK fallback, which cannot read it) does not say. Internal.
 */
public record FileStat(long inode, long device, int mode, int uid, int links, long size, long birth) {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;

    /**
     * Stats {@code path}, following a final symbolic link only when {@code follow}.
     *
     * @throws NoSuchFileException if there is no such file
     * @throws IOException for any other failure (its message names the errno)
     */
    public static FileStat of(String path, boolean follow) throws IOException {
        return stat(LibC.AT_FDCWD, path, follow ? 0 : LibC.AT_SYMLINK_NOFOLLOW);
    }

    /**
     * Stats the file open at {@code fd}.
     *
     * @throws IOException if it cannot (EBADF: not open)
     */
    public static FileStat of(int fd) throws IOException {
        return stat(fd, "", LibC.AT_EMPTY_PATH);
    }

    private static FileStat stat(int dirFd, String path, int flags) throws IOException {
        if (LibC.SYS_STATX < 0) {
            return viaJdk(dirFd, path, flags);
        }
        byte[] b = new byte[256];
        long r = LibC.syscall(
                LibC.SYS_STATX, dirFd, LibC.path(path), flags, LibC.STATX_BASIC_STATS | LibC.STATX_BTIME, b);
        if (r < 0) {
            int errno = LibC.errno();
            if (errno == Errno.ENOSYS.code()) { // a kernel before 4.11, or a sandbox that hides statx
                return viaJdk(dirFd, path, flags);
            }
            throw Sys.fileFailure(what(dirFd, path), errno);
        }
        long major = number(b, 136, 4);
        long minor = number(b, 140, 4);
        long device = ((major & 0xfffff000L) << 32)
                | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
        return new FileStat(
                number(b, 32, 8),
                device,
                (int) number(b, 28, 2),
                (int) number(b, 20, 4),
                (int) number(b, 16, 4),
                number(b, 40, 8),
                (number(b, 0, 4) & LibC.STATX_BTIME) == 0 ? 0 : number(b, 80, 8) * 1_000_000_000L + number(b, 88, 4));
    }

    /**
     * The {@code n}-byte number at {@code at} in {@code b}, in the machine's byte order: one loop,
     * where a ByteBuffer read is several calls (namespaces are statted while the JVM interprets).
     */
    static long number(byte[] b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (b[LITTLE_ENDIAN ? at + n - 1 - i : at + i] & 0xff);
        }
        return v;
    }

    /** How a failure names the file (made only for a failure: a topology's namespaces are statted interpreted). */
    private static String what(int dirFd, String path) {
        return dirFd == LibC.AT_FDCWD ? path : "fd " + dirFd;
    }

    private static FileStat viaJdk(int dirFd, String path, int flags) throws IOException {
        return viaJdk(dirFd == LibC.AT_FDCWD ? path : "/proc/self/fd/" + dirFd, flags, what(dirFd, path));
    }

    /** The same through the JDK's {@code unix:} view, where statx cannot be called. */
    static FileStat viaJdk(String path, int flags, String what) throws IOException {
        LinkOption[] options = (flags & LibC.AT_SYMLINK_NOFOLLOW) != 0
                ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS}
                : new LinkOption[0];
        try {
            Map<String, Object> a = Files.readAttributes(Path.of(path), "unix:ino,dev,mode,uid,nlink,size", options);
            return new FileStat(
                    (Long) a.get("ino"),
                    (Long) a.get("dev"),
                    (Integer) a.get("mode"),
                    (Integer) a.get("uid"),
                    (Integer) a.get("nlink"),
                    (Long) a.get("size"),
                    0);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(what);
        }
    }

    /** Whether {@code other} is the same file: the same inode on the same device. */
    public boolean isSameFile(FileStat other) {
        return inode == other.inode && device == other.device;
    }

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isSymbolicLink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** What kind of file it is, for a message: "a regular file", "a FIFO", "a symbolic link", ... */
    public String kind() {
        return switch (mode & S_IFMT) {
            case S_IFREG -> "a regular file";
            case S_IFDIR -> "a directory";
            case S_IFLNK -> "a symbolic link";
            case 0010000 -> "a FIFO";
            case 0140000 -> "a socket";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            default -> String.format("a file of type %o", mode & S_IFMT);
        };
    }

    /** The permission bits (and set-id, sticky). */
    public int permissions() {
        return mode & 07777;
    }
}
