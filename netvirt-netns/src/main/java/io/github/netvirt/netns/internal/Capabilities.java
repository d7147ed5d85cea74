package io.github.netvirt.netns.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The capabilities netvirt needs, CAP_NET_ADMIN and CAP_SYS_ADMIN, in this process's effective set. */
public final class Capabilities {
    public static final int CAP_NET_ADMIN = 12;
    public static final int CAP_SYS_ADMIN = 21;

    private Capabilities() {}

    /** The effective set, the {@code CapEff} line of {@code /proc/self/status}. */
    public static long effective() throws IOException {
        return effective(Files.readAllLines(Path.of("/proc/self/status")));
    }

    /** The effective set in the lines of a {@code /proc/PID/status}. */
    public static long effective(List<String> status) {
        for (String line : status) {
            if (line.startsWith("CapEff:")) {
                return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        throw new IllegalStateException("no CapEff line");
    }

    /** Whether {@code caps} holds both. */
    public static boolean both(long caps) {
        long needed = (1L << CAP_NET_ADMIN) | (1L << CAP_SYS_ADMIN);
        return (caps & needed) == needed;
    }

    /** Whether this process holds both, read once; false when {@code /proc} cannot tell. */
    public static boolean held() {
        return Held.BOTH;
    }

    private static final class Held {
        static final boolean BOTH = read();

        private static boolean read() {
            try {
                return both(effective());
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
