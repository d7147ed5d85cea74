package io.github.netvirt.core;

import io.github.netvirt.netns.internal.FileStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who holds an flock on a file, as {@code /proc/locks} tells, for a message: read only when a lock
 * was found held, never to decide anything.
 */
final class LockHolders {
    private LockHolders() {}

    /**
     * {@code "pid PID (COMMAND)"} for each process {@code /proc/locks} names as holding an flock on
     * {@code file} (joined with ", "), or "" when it names none or cannot be read. The kernel names the
     * process that took the lock; the lock belongs to the open file, which that process may have passed
     * on (to a child it started) and outlived: such a pid is named as exited. Holders in a pid namespace
     * this process does not see are not listed.
     */
    static String of(Path file) {
        List<String> holders = new ArrayList<>();
        try {
            FileStat st = FileStat.of(file.toString(), false);
            long dev = st.device();
            // /proc/locks prints the kernel's major and minor, not glibc's makedev encoding
            long major = ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
            long minor = ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                // "1: FLOCK  ADVISORY  WRITE 1234 00:1a:5678 0 EOF"; a waiter's has "->" after the number
                String[] f = line.trim().split("\\s+");
                if (f.length < 6 || !f[1].equals("FLOCK")) {
                    continue;
                }
                String[] id = f[5].split(":");
                if (id.length != 3
                        || Long.parseLong(id[0], 16) != major
                        || Long.parseLong(id[1], 16) != minor
                        || Long.parseLong(id[2]) != st.inode()) {
                    continue;
                }
                long pid = Long.parseLong(f[4]);
                String holder = ProcessHandle.of(pid)
                        .map(h -> "pid " + pid + " ("
                                + h.info()
                                        .command()
                                        .map(c -> Path.of(c).getFileName().toString())
                                        .orElse("?")
                                + ")")
                        .orElse("pid " + pid + ", which took it and has exited since");
                if (!holders.contains(holder)) {
                    holders.add(holder);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // what was found so far: the message is all this serves
        }
        return String.join(", ", holders);
    }
}
