package io.github.netvirt.netns.internal;

import io.github.netvirt.netns.Sandbox;
import io.github.netvirt.netns.sys.Errno;
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

    /**
     * The "needs root" hint for a refusal root's capabilities would have spared ({@link Errno#NEEDS_ROOT}),
     * outside a user-namespace sandbox with what this process lacks and the sandbox a user without root
     * can use; inside one (where the refusal is the machine's, which the sandbox cannot lift) the hint alone.
     */
    public static String needsRootHint() {
        if (Sandbox.current().active()) {
            return Errno.NEEDS_ROOT;
        }
        String hint = Errno.NEEDS_ROOT.substring(0, Errno.NEEDS_ROOT.length() - 1);
        if (Held.LACKING != null) {
            hint += ": this process lacks " + Held.LACKING;
        }
        return hint + "; without root, run it in netvirt's user-namespace sandbox: bin/netvirt-run"
                + " (README, \"Without root\"))";
    }

    private static final class Held {
        static final boolean BOTH = read();

        /** "CAP_NET_ADMIN", "CAP_SYS_ADMIN", both joined by "and", or null (both held, or /proc cannot tell). */
        static final String LACKING = lacking();

        private static String lacking() {
            long caps;
            try {
                caps = effective();
            } catch (IOException | RuntimeException e) {
                return null;
            }
            boolean net = (caps & (1L << CAP_NET_ADMIN)) != 0;
            boolean sys = (caps & (1L << CAP_SYS_ADMIN)) != 0;
            return net && sys
                    ? null
                    : !net && !sys ? "CAP_NET_ADMIN and CAP_SYS_ADMIN" : !net ? "CAP_NET_ADMIN" : "CAP_SYS_ADMIN";
        }

        private static boolean read() {
            try {
                return both(effective());
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
