package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Removes what crash records list, where the kernel identity still matches. */
final class Cleaner {
    private static final System.Logger LOG = System.getLogger(Cleaner.class.getName());

    private Cleaner() {
    }

    static synchronized List<String> cleanup() {
        List<String> removed = new ArrayList<>();
        for (CrashRecord.Entry e : CrashRecord.readAll()) {
            if (e.ownerAlive()) {
                continue;
            }
            if (!e.kept()) {
                removed.addAll(remove(e));
            } else if (nothingLeft(e)) {
                // a detached topology removed by hand (ip netns del): only its record is left
                deleteRecord(e);
            }
        }
        return removed;
    }

    private static boolean nothingLeft(CrashRecord.Entry e) {
        for (CrashRecord.Ns n : e.namespaces()) {
            if (NamedNamespaces.mountedInode(n.name()) == n.inode()) {
                return false;
            }
        }
        if (e.links().isEmpty()) {
            return true;
        }
        try (NetNamespace root = NetNamespace.root(); NetlinkHandle h = NetlinkHandle.open(root)) {
            for (CrashRecord.RootLink l : e.links()) {
                Optional<Link> now = h.linkGet(l.name());
                if (now.isPresent() && now.get().index() == l.ifindex()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void deleteRecord(CrashRecord.Entry e) {
        try {
            Files.deleteIfExists(e.path());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Removes the detached topologies whose named namespaces are exactly those of {@code spec}. */
    static synchronized List<String> removeDetached(TopologySpec spec) {
        Set<String> names = new HashSet<>();
        for (NamespaceSpec n : spec.namespaces()) {
            if (n.kernelName() != null) {
                names.add(n.kernelName());
            }
        }
        List<String> removed = new ArrayList<>();
        for (CrashRecord.Entry e : CrashRecord.readAll()) {
            Set<String> recorded = new HashSet<>();
            e.namespaces().forEach(n -> recorded.add(n.name()));
            if (e.kept() && recorded.equals(names)) {
                removed.addAll(remove(e));
            }
        }
        return removed;
    }

    /**
     * Removes the detached topologies that hold a namespace named {@code nameOrPrefix}, or whose
     * namespaces are all named with that prefix; the same proof of identity as {@link #cleanup()}.
     */
    static synchronized List<String> removeDetached(String nameOrPrefix) {
        List<String> removed = new ArrayList<>();
        for (CrashRecord.Entry e : CrashRecord.readAll()) {
            if (e.kept() && named(e, nameOrPrefix)) {
                removed.addAll(remove(e));
            }
        }
        return removed;
    }

    private static boolean named(CrashRecord.Entry e, String nameOrPrefix) {
        return !e.namespaces().isEmpty()
                && (e.namespaces().stream().anyMatch(n -> n.name().equals(nameOrPrefix))
                || e.namespaces().stream().allMatch(n -> n.name().startsWith(nameOrPrefix)));
    }

    private static List<String> remove(CrashRecord.Entry e) {
        List<String> removed = new ArrayList<>();
        boolean complete = true;
        if (!e.links().isEmpty()) {
            try (NetNamespace root = NetNamespace.root(); NetlinkHandle h = NetlinkHandle.open(root)) {
                for (CrashRecord.RootLink l : e.links()) {
                    Optional<Link> now = h.linkGet(l.name());
                    if (now.isPresent() && now.get().index() == l.ifindex()) {
                        h.linkDel(l.ifindex());
                        removed.add("link " + l.name() + " (root namespace)");
                    }
                }
            } catch (RuntimeException ex) {
                complete = false;
                LOG.log(System.Logger.Level.WARNING, "cleanup of " + e.path() + ": " + ex.getMessage());
            }
        }
        for (String l : e.linkIntents()) {
            if (e.links().stream().noneMatch(x -> x.name().equals(l))) {
                LOG.log(System.Logger.Level.INFO, "cleanup of {0}: link {1} was never confirmed; left alone",
                        e.path(), l);
            }
        }
        for (CrashRecord.Ns n : e.namespaces()) {
            if (NamedNamespaces.isStrandedFile(n.name())) {
                NamedNamespaces.removeStrandedFile(n.name());
                removed.add("netns " + n.name() + " (an empty file left by a delete cut short)");
                continue;
            }
            long now = NamedNamespaces.mountedInode(n.name());
            if (now == n.inode()) {
                try {
                    NetNamespace.delete(n.name());
                    removed.add("netns " + n.name());
                } catch (RuntimeException ex) {
                    complete = false;
                    LOG.log(System.Logger.Level.WARNING, "cleanup of " + e.path() + ": " + ex.getMessage());
                }
            }
        }
        if (complete) {
            deleteRecord(e);
        }
        return removed;
    }
}
