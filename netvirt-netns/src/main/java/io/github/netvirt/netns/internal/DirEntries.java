package io.github.netvirt.netns.internal;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;

/**
 * A directory's entries as the kernel lists them ({@code getdents64}): each name with the inode
 * number its directory entry holds. A mount on a name does not change that number, where a
 * {@code stat} of the name reports the root of what is mounted there: so the file a namespace's name
 * was given can be told while the namespace is mounted on it.
 */
public final class DirEntries {
    private DirEntries() {}

    /**
     * The inode number of the entry {@code name} of directory {@code dir}, or -1 when it has none
     * (or the system call is not known on this architecture: nothing can be told then).
     *
     * @throws NoSuchFileException if there is no such directory
     * @throws IOException if it cannot be read (its message names the errno)
     */
    public static long inodeOf(String dir, String name) throws IOException {
        if (LibC.SYS_GETDENTS64 < 0) {
            return -1;
        }
        byte[] p = LibC.path(name);
        byte[] wanted = Arrays.copyOf(p, p.length - 1); // as the kernel has it, without the NUL
        int fd;
        try {
            fd = LibC.open(LibC.path(dir), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw Sys.fileFailure(dir, e.getErrorCode());
        }
        try {
            byte[] b = new byte[32 * 1024];
            while (true) {
                long n = LibC.syscall(LibC.SYS_GETDENTS64, fd, b, b.length, 0, null);
                if (n < 0) {
                    throw Sys.fileFailure(dir, LibC.errno());
                }
                if (n == 0) {
                    return -1;
                }
                long found = find(b, (int) n, wanted);
                if (found >= 0) {
                    return found;
                }
            }
        } finally {
            Sys.closeQuietly(fd);
        }
    }

    /**
     * The inode number of the entry named {@code wanted} among the {@code n} bytes of
     * {@code struct linux_dirent64} records in {@code b} (ino: 8 bytes, off: 8, reclen: 2, type: 1,
     * the name NUL-terminated), -1 if none.
     */
    static long find(byte[] b, int n, byte[] wanted) {
        for (int at = 0; at + 19 < n; ) {
            int reclen = (int) FileStat.number(b, at + 16, 2);
            if (reclen < 20 || at + reclen > n) {
                return -1; // not a record the kernel writes
            }
            int end = at + 19;
            while (end < at + reclen && b[end] != 0) {
                end++;
            }
            if (Arrays.equals(b, at + 19, end, wanted, 0, wanted.length)) {
                return FileStat.number(b, at, 8);
            }
            at += reclen;
        }
        return -1;
    }
}
