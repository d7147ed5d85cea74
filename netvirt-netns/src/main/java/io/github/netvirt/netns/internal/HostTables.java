package io.github.netvirt.netns.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host-name tables published in namespaces, by the namespace's nsfs inode: what a name means
 * inside a namespace, for every way code reaches in (threads inside, through the JDK's resolver; a
 * namespace's socket factory, from any thread). A namespace shared by several publishers (a
 * namespace two topologies adopted) holds one table per publisher, in publication order; lookups
 * there use the latest. A table looks names up in any case (a map ordered by {@code
 * String.CASE_INSENSITIVE_ORDER}) and keeps them as declared. Thread-safe.
 */
public final class HostTables {
    private static final Map<Long, List<Published>> BY_NAMESPACE = new ConcurrentHashMap<>();

    /** The table {@code owner} published. */
    private record Published(Object owner, Map<String, List<InetAddress>> table) {}

    private HostTables() {}

    /** Publishes {@code owner}'s {@code table} (unmodifiable, in its order) in the namespace of inode {@code inode}, replacing its earlier one. */
    public static void publish(long inode, Object owner, Map<String, List<InetAddress>> table) {
        Published mine = new Published(owner, table);
        BY_NAMESPACE.compute(inode, (i, all) -> {
            List<Published> next = without(all, owner);
            next.add(mine);
            return List.copyOf(next);
        });
    }

    /** Forgets {@code owner}'s table in the namespace of inode {@code inode}: before it is closed (inodes are reused). */
    public static void withdraw(long inode, Object owner) {
        BY_NAMESPACE.computeIfPresent(inode, (i, all) -> {
            List<Published> next = without(all, owner);
            return next.isEmpty() ? null : List.copyOf(next);
        });
    }

    /** Whether no table is published anywhere: the common case, told without a system call. */
    public static boolean none() {
        return BY_NAMESPACE.isEmpty();
    }

    /** The table in force in the namespace of inode {@code inode}, or null. */
    public static Map<String, List<InetAddress>> table(long inode) {
        List<Published> all = BY_NAMESPACE.get(inode);
        return all == null ? null : all.get(all.size() - 1).table;
    }

    /** The addresses {@code host} stands for in the namespace of inode {@code inode}, or null (not one of its names). */
    public static List<InetAddress> resolve(long inode, String host) {
        Map<String, List<InetAddress>> table = table(inode);
        return table == null || host == null ? null : table.get(host);
    }

    private static List<Published> without(List<Published> all, Object owner) {
        List<Published> out = new ArrayList<>();
        if (all != null) {
            for (Published p : all) {
                if (p.owner != owner) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
