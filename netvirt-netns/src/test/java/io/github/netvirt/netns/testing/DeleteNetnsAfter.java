package io.github.netvirt.netns.testing;

import io.github.netvirt.netns.NetNamespace;
import java.util.List;
import java.util.function.Supplier;

/**
 * Deletes the named namespaces a test creates when closed, whatever the test did:
 * {@code try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name); NetNamespace ns = NetNamespace.create(name))},
 * or every namespace whose name starts with a test's unique prefix ({@link #prefixed}). Closing
 * when there is no such namespace (the test deleted it) does nothing.
 */
public final class DeleteNetnsAfter implements AutoCloseable {
    /** The names to delete, looked up at close. */
    private final Supplier<List<String>> names;

    private DeleteNetnsAfter(Supplier<List<String>> names) {
        this.names = names;
    }

    /** Deletes namespace {@code name} on close (use a {@link TestNames#unique} name). */
    public static DeleteNetnsAfter of(String name) {
        return new DeleteNetnsAfter(() -> List.of(name));
    }

    /** Deletes every namespace whose name starts with {@code prefix} on close (a {@link TestNames#unique} prefix). */
    public static DeleteNetnsAfter prefixed(String prefix) {
        return new DeleteNetnsAfter(() -> NetNamespace.list().stream()
                .filter(n -> n.startsWith(prefix))
                .sorted()
                .toList());
    }

    /** {@code ip netns del NAME} for each, failures ignored (a namespace may be gone already). */
    @Override
    public void close() {
        for (String n : names.get()) {
            Ip.run("netns", "del", n);
        }
    }
}
