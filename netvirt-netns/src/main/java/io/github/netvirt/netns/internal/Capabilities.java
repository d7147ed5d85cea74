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
    static final int CAP_SETFCAP = 31;

    private Capabilities() {}

    /** The effective set, the {@code CapEff} line of {@code /proc/self/status}. */
    public static long effective() throws IOException {
        return effective(Files.readAllLines(Path.of("/proc/self/status")));
    }

    /** The effective set in the lines of a {@code /proc/PID/status}. */
    public static long effective(List<String> status) {
        return set(status, "CapEff:");
    }

    private static long set(List<String> status, String field) {
        for (String line : status) {
            if (line.startsWith(field)) {
                return Long.parseUnsignedLong(line.substring(field.length()).trim(), 16);
            }
        }
        throw new IllegalStateException("no " + field + " line");
    }

    /** Whether {@code caps} holds both. */
    public static boolean both(long caps) {
        long needed = (1L << CAP_NET_ADMIN) | (1L << CAP_SYS_ADMIN);
        return (caps & needed) == needed;
    }

    /** Which of the two {@code caps} lacks: "CAP_NET_ADMIN", "CAP_SYS_ADMIN", both joined by "and", or null. */
    public static String lacking(long caps) {
        boolean net = (caps & (1L << CAP_NET_ADMIN)) != 0;
        boolean sys = (caps & (1L << CAP_SYS_ADMIN)) != 0;
        return net && sys
                ? null
                : !net && !sys ? "CAP_NET_ADMIN and CAP_SYS_ADMIN" : !net ? "CAP_NET_ADMIN" : "CAP_SYS_ADMIN";
    }

    /** Whether this process holds both, read once; false when {@code /proc} cannot tell. */
    public static boolean held() {
        return Held.BOTH;
    }

    /**
     * The "needs root" hint for a refusal root's capabilities would have spared ({@link Errno#NEEDS_ROOT}),
     * outside a user-namespace sandbox with what this process lacks and the sandbox a user without root
     * can use, when it can make it; inside one (where the refusal is the machine's, which the sandbox
     * cannot lift) the hint alone. Made once.
     */
    public static String needsRootHint() {
        return Hint.TEXT;
    }

    private static final class Hint {
        static final String TEXT = text();

        private static String text() {
            if (Sandbox.current().active()) {
                return Errno.NEEDS_ROOT;
            }
            String hint = Errno.NEEDS_ROOT.substring(0, Errno.NEEDS_ROOT.length() - 1);
            if (Held.LACKING != null) {
                hint += ": this process lacks " + Held.LACKING;
            }
            return hint
                    + (sandboxReachable()
                            ? "; without root, run it in netvirt's user-namespace sandbox: bin/netvirt-run"
                                    + " (README, \"Without root\"))"
                            : "; a root without CAP_SETFCAP cannot make netvirt's user-namespace sandbox"
                                    + " either: the kernel refuses it a user namespace that maps root)");
        }

        /**
         * Whether the sandbox can be made for this process: it maps the effective uid to the root of a
         * new user namespace, which the kernel lets uid 0 do only with CAP_SETFCAP (Linux 5.12+), as
         * root's programs get it: from the bounding set.
         */
        private static boolean sandboxReachable() {
            try {
                return LibC.geteuid() != 0
                        || (set(Files.readAllLines(Path.of("/proc/self/status")), "CapBnd:") & (1L << CAP_SETFCAP))
                                != 0;
            } catch (IOException | RuntimeException | LinkageError e) {
                return true;
            }
        }
    }

    /** This process's effective set, read once: whether it holds both, and what it lacks. */
    private static final class Held {
        /** Both held; false when /proc cannot tell. */
        static final boolean BOTH;

        /** What this process lacks ({@link Capabilities#lacking(long)}), or null when /proc cannot tell. */
        static final String LACKING;

        static {
            boolean both = false;
            String lacking = null;
            try {
                long caps = effective();
                both = both(caps);
                lacking = Capabilities.lacking(caps);
            } catch (IOException | RuntimeException e) {
                // neither known
            }
            BOTH = both;
            LACKING = lacking;
        }
    }
}
