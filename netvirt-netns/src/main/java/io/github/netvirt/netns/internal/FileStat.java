package io.github.netvirt.netns.internal;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * What {@code statx(2)} says of a file: one system call, where {@code Files.readAttributes} with
 * the {@code unix:} view builds maps of every attribute (netvirt stats each namespace it makes and
 * removes). {@code device} is encoded as glibc's {@code makedev}, the value the JDK's
 * {@code unix:dev} reports. Internal.
 */
public record FileStat(long inode, long device, int mode, int uid, long size) {
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
        return stat(LibC.AT_FDCWD, path, follow ? 0 : LibC.AT_SYMLINK_NOFOLLOW, path);
    }

    /**
     * Stats the file open at {@code fd}.
     *
     * @throws IOException if it cannot (EBADF: not open)
     */
    public static FileStat of(int fd) throws IOException {
        return stat(fd, "", LibC.AT_EMPTY_PATH, "fd " + fd);
    }

    private static FileStat stat(int dirFd, String path, int flags, String what) throws IOException {
        byte[] b = new byte[256];
        try {
            LibC.statx(dirFd, path, flags, LibC.STATX_BASIC_STATS, b);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENOENT.code()) {
                throw new NoSuchFileException(what);
            }
            throw new FileSystemException(what, null, Errno.describe(e.getErrorCode()));
        }
        ByteBuffer s = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        long major = s.getInt(136) & 0xffffffffL;
        long minor = s.getInt(140) & 0xffffffffL;
        long device = ((major & 0xfffff000L) << 32)
                | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
        return new FileStat(s.getLong(32), device, s.getShort(28) & 0xffff, s.getInt(20), s.getLong(40));
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

    /** The permission bits (and set-id, sticky). */
    public int permissions() {
        return mode & 07777;
    }
}
