package io.github.netvirt.core;

import io.github.netvirt.netns.Names;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.NetnsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What teardown and cleanup need to know about a name under {@code /run/netns}: which namespace it
 * holds now. A name proves nothing (anyone may take it the moment it is free), and neither does an
 * nsfs inode number of a namespace that may have died (the kernel hands freed ones straight back):
 * a dead owner's namespace is recognised by its cookie, a live one by the inode of the namespace
 * it still holds open.
 */
final class NamedNamespaces {
    static final Path RUN_NETNS = Path.of("/run/netns");

    private NamedNamespaces() {
    }

    /** What a name under /run/netns holds now. */
    enum State { ABSENT, SAME, OTHER, NOT_A_NAMESPACE }

    /**
     * Whether {@code /run/netns/NAME} still holds {@code held}, a namespace this process holds open:
     * while it is held its nsfs inode cannot be handed to another namespace, so equal inodes (on the
     * nsfs device) prove identity without entering it.
     */
    static State compareHeld(String name, NetNamespace held) {
        try {
            Object[] mine = inodeAndDevice(Path.of("/proc/self/fd/" + held.fd()));
            Object[] now = inodeAndDevice(RUN_NETNS.resolve(Names.checkNamespace(name)));
            return mine[0].equals(now[0]) && mine[1].equals(now[1]) ? State.SAME : State.OTHER;
        } catch (NoSuchFileException e) {
            return State.ABSENT;
        } catch (IOException e) {
            return State.OTHER;
        }
    }

    private static Object[] inodeAndDevice(Path p) throws IOException {
        return new Object[] {Files.getAttribute(p, "unix:ino"), Files.getAttribute(p, "unix:dev")};
    }

    /**
     * Whether {@code path} is the empty file with inode {@code inode} (any inode: -1) on
     * {@code /run/netns}'s file system, with nothing mounted on it: what a process killed while
     * naming or un-naming a namespace leaves.
     */
    static boolean isEmptyFile(Path path, long inode) {
        try {
            java.util.Map<String, Object> a = Files.readAttributes(path, "unix:ino,dev,size,isRegularFile",
                    LinkOption.NOFOLLOW_LINKS);
            return (Boolean) a.get("isRegularFile") && (Long) a.get("size") == 0
                    && (inode == -1 || ((Number) a.get("ino")).longValue() == inode)
                    && a.get("dev").equals(Files.getAttribute(RUN_NETNS, "unix:dev"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code /run/netns/NAME} holds the namespace whose cookie is {@code cookie}. */
    static State compareCookie(String name, long cookie) {
        Path p = RUN_NETNS.resolve(Names.checkNamespace(name));
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return State.ABSENT;
        }
        if (Files.isSymbolicLink(p)) {
            return State.OTHER; // not how netvirt or ip netns name namespaces
        }
        NetNamespace ns;
        try {
            ns = NetNamespace.open(name);
        } catch (NetnsException e) {
            return Files.exists(RUN_NETNS.resolve(name), LinkOption.NOFOLLOW_LINKS) ? State.NOT_A_NAMESPACE : State.ABSENT;
        }
        try {
            return ns.cookie() == cookie ? State.SAME : State.OTHER;
        } finally {
            ns.close();
        }
    }
}
