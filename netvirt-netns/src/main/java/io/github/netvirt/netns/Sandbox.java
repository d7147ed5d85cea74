package io.github.netvirt.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Whether this JVM runs in a user-namespace sandbox (such as the one {@code bin/netvirt-run} makes)
 * rather than in the machine's own namespaces.
 *
 * <p>In a sandbox the JVM's "root" network namespace is the sandbox's, not the machine's: everything
 * netvirt builds, {@code .root()} devices included, is invisible to the host and dies with the sandbox.
 * Named namespaces live under the sandbox's private {@code /run/netns}. What the sandbox cannot do:
 * open {@code /dev/net/tun} when the machine gives it mode 0600 (only the machine's root may then),
 * or reach any network outside it.
 *
 * <p>The test is the JVM's user namespace: the machine's initial one has the fixed inode number
 * {@code PROC_USER_INIT_INO} (0xEFFFFFFD, since Linux 3.8); any other is a sandbox. Values are
 * immutable and thread-safe.
 */
public final class Sandbox {
    /** PROC_USER_INIT_INO in include/linux/proc_ns.h: the inode of the initial user namespace. */
    static final long INITIAL_USER_NAMESPACE = 0xEFFFFFFDL;

    private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());
    private static final Sandbox CURRENT = detect();

    private final boolean active;
    private final String userNamespace;
    private final String uidMap;

    private Sandbox(boolean active, String userNamespace, String uidMap) {
        this.active = active;
        this.userNamespace = userNamespace;
        this.uidMap = uidMap;
    }

    /** Where this JVM runs, read once from {@code /proc/self/ns/user} and {@code /proc/self/uid_map}. */
    public static Sandbox current() {
        return CURRENT;
    }

    /** True in a user-namespace sandbox: the JVM's namespaces are not the machine's. */
    public boolean active() {
        return active;
    }

    /**
     * The user ids the sandbox maps, as {@code /proc/self/uid_map} shows them (inside, outside,
     * count; e.g. {@code "0 65534 1"}: root inside is {@code nobody} outside).
     */
    public String uidMap() {
        return uidMap;
    }

    /** {@code ", in a user-namespace sandbox"} when {@link #active()}, else the empty string. */
    String tag() {
        return active ? ", in a user-namespace sandbox" : "";
    }

    @Override
    public String toString() {
        return active
                ? "Sandbox[user namespace " + userNamespace + ", uid_map " + uidMap
                        + ": network namespaces, devices and /run/netns are the sandbox's, not the machine's]"
                : "Sandbox[none: the machine's initial user namespace]";
    }

    static Sandbox detect() {
        Sandbox s;
        try {
            s = of(
                    Files.readSymbolicLink(Path.of("/proc/self/ns/user")).toString(),
                    Files.readAllLines(Path.of("/proc/self/uid_map")));
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing to tell, so report the common case rather than fail class loading
            return new Sandbox(false, "unknown", "unknown");
        }
        if (s.active) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "netvirt runs in a user-namespace sandbox ({0}): its root "
                            + "network namespace is the sandbox''s, not the machine''s",
                    s.uidMap);
        }
        return s;
    }

    /** From the text of the {@code /proc/self/ns/user} link ({@code user:[4026531837]}) and the uid_map lines. */
    static Sandbox of(String userNsLink, List<String> uidMapLines) {
        String map = String.join(
                "; ",
                uidMapLines.stream().map(l -> l.trim().replaceAll("\\s+", " ")).toList());
        if (!userNsLink.startsWith("user:[") || !userNsLink.endsWith("]")) {
            throw new IllegalArgumentException("not a user namespace link: " + userNsLink);
        }
        long inode = Long.parseLong(userNsLink.substring(6, userNsLink.length() - 1));
        return new Sandbox(inode != INITIAL_USER_NAMESPACE, Long.toString(inode), map);
    }
}
