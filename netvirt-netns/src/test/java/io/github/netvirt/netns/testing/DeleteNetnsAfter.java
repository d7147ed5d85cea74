package io.github.netvirt.netns.testing;

import io.github.netvirt.netns.NetNamespace;
import java.util.List;

/**
 * Deletes the named namespaces a test creates when closed, whatever the test did:
 * {@code try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name); NetNamespace ns = NetNamespace.create(name))},
 * or every namespace whose name starts with a test's unique prefix ({@link #prefixed}). Closing
 * when there is no such namespace (the test deleted it) does nothing.
 */
public final class DeleteNetnsAfter implements AutoCloseable {
    private final String name;
    private final boolean prefix;

    private DeleteNetnsAfter(String name, boolean prefix) {
        this.name = name;
        this.prefix = prefix;
    }

    /** Deletes namespace {@code name} on close (use a {@link TestNames#unique} name). */
    public static DeleteNetnsAfter of(String name) {
        return new DeleteNetnsAfter(name, false);
    }

    /** Deletes every namespace whose name starts with {@code prefix} on close (a {@link TestNames#unique} prefix). */
    public static DeleteNetnsAfter prefixed(String prefix) {
        return new DeleteNetnsAfter(prefix, true);
    }

    /** {@code ip netns del NAME} for each, failures ignored (a namespace may be gone already). */
    @Override
    public void close() {
        List<String> names = prefix
                ? NetNamespace.list().stream()
                        .filter(n -> n.startsWith(name))
                        .sorted()
                        .toList()
                : List.of(name);
        for (String n : names) {
            Ip.run("netns", "del", n);
        }
    }
}
