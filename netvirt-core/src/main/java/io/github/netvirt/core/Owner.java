package io.github.netvirt.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process identified by pid and start time (field 22 of /proc/PID/stat), so a reused pid is not mistaken for it. */
final class Owner {
    /** This JVM's start time, read once (it cannot change). */
    private static volatile String own;

    private Owner() {}

    /** The start time of this JVM's process. */
    static String ownStartTime() {
        String s = own;
        if (s == null) {
            s = startTime(ProcessHandle.current().pid());
            own = s;
        }
        return s;
    }

    static String startTime(long pid) {
        String s = startTimeOrNull(pid);
        if (s == null) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat");
        }
        return s;
    }

    static String startTimeOrNull(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // comm (field 2) may contain spaces and parentheses: count from the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return f[19];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
