package io.github.netvirt.core;

import io.github.netvirt.netns.internal.ProcPids;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process identified by pid and start time (field 22 of /proc/PID/stat), so a reused pid is not
 * mistaken for it, within one boot of the kernel ({@link #bootId()}): every kernel identity (pid,
 * start time, namespace cookie) counts from the start again after a reboot.
 */
final class Owner {
    /** This JVM's start time, read once (it cannot change). */
    private static volatile String own;

    private static volatile String boot;

    private Owner() {}

    /**
     * This JVM's pid as the mounted /proc numbers it (not {@link ProcessHandle#pid()}, its pid in its
     * own pid namespace): what a cleaner that reads this /proc finds it by.
     *
     * @throws IllegalStateException if /proc does not show this process
     */
    static long ownPid() {
        return ProcPids.self();
    }

    /** The start time of this JVM's process. */
    static String ownStartTime() {
        String s = own;
        if (s == null) {
            s = startTime(ownPid());
            own = s;
        }
        return s;
    }

    /** The kernel's boot id ({@code /proc/sys/kernel/random/boot_id}): new at every boot. */
    static String bootId() {
        String b = boot;
        if (b == null) {
            try {
                b = checkBootId(Files.readString(Path.of("/proc/sys/kernel/random/boot_id"))
                        .trim());
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot read the kernel's boot id", e);
            }
            boot = b;
        }
        return b;
    }

    /** {@code s} if it is a boot id as the kernel writes it (a UUID in lower-case hex). */
    static String checkBootId(String s) {
        if (!s.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            throw new IllegalArgumentException("not a boot id: " + s);
        }
        return s;
    }

    static String startTime(long pid) {
        return ProcPids.startTime(pid);
    }

    static String startTimeOrNull(long pid) {
        String[] f = ProcPids.stat(pid);
        return f == null ? null : f[19];
    }

    /** Whether process {@code pid} started at {@code startTime} still runs here ({@link ProcPids#alive}). */
    static boolean alive(long pid, String startTime) {
        return ProcPids.alive(pid, startTime);
    }
}
