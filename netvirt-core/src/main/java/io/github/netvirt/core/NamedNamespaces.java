package io.github.netvirt.core;

import com.sun.jna.LastErrorException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.sys.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What cleanup needs to know about names under {@code /run/netns}: which namespace a name holds now,
 * and the empty file a killed {@code delete} leaves. (Apply creates a namespace first and names it
 * second, with {@link NetNamespace#attach}, so that the crash record holds the
 * namespace's identity before its name exists.)
 */
final class NamedNamespaces {
    static final Path RUN_NETNS = Path.of("/run/netns");

    private NamedNamespaces() {
    }

    /** The inode of the namespace mounted at {@code /run/netns/NAME}, -1 if none. */
    static long mountedInode(String name) {
        try {
            Object ino = Files.getAttribute(RUN_NETNS.resolve(name), "unix:ino");
            return ((Number) ino).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /**
     * True when {@code /run/netns/NAME} is an empty file with no namespace mounted on it: what a
     * process killed between the unmount and the unlink of a delete (or between the create and the
     * mount of an attach) leaves. It is not a namespace; {@code ip netns} cannot enter it.
     */
    static boolean isStrandedFile(String name) {
        Path p = RUN_NETNS.resolve(name);
        try {
            return Files.isRegularFile(p) && Files.size(p) == 0
                    && Files.getAttribute(p, "unix:dev").equals(Files.getAttribute(RUN_NETNS, "unix:dev"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static void removeStrandedFile(String name) {
        unlinkQuietly(RUN_NETNS.resolve(name));
    }

    private static void unlinkQuietly(Path path) {
        try {
            LibC.unlink(path.toString());
        } catch (LastErrorException ignored) {
            // already gone
        }
    }
}
