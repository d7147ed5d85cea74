package io.github.netvirt.netns.testing;

import io.github.netvirt.netns.NetNamespace;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Deletes the named namespaces a test creates when closed, whatever the test did:
 * {@code try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name); NetNamespace ns = NetNamespace.create(name))},
 * or every namespace whose name starts with a test's unique prefix ({@link #prefixed}). Closing
 * when there is no such namespace (the test deleted it) does nothing.
 *
 * <p>As an extension on an instance field it closes after each test (after the test's own
 * assertions and {@code @AfterEach} methods), for a name the test class makes once per test:
 * {@code @RegisterExtension final DeleteNetnsAfter witness = DeleteNetnsAfter.of(TestNames.unique("w"));},
 * then {@code witness.name()} in the tests.
 */
public final class DeleteNetnsAfter implements AutoCloseable, AfterEachCallback {
    /** The name, or the prefix, given. */
    private final String name;
    /** The names to delete, looked up at close. */
    private final Supplier<List<String>> names;

    private DeleteNetnsAfter(String name, Supplier<List<String>> names) {
        this.name = name;
        this.names = names;
    }

    /** Deletes namespace {@code name} on close (use a {@link TestNames#unique} name). */
    public static DeleteNetnsAfter of(String name) {
        return new DeleteNetnsAfter(name, () -> List.of(name));
    }

    /** Deletes every namespace whose name starts with {@code prefix} on close (a {@link TestNames#unique} prefix). */
    public static DeleteNetnsAfter prefixed(String prefix) {
        return new DeleteNetnsAfter(
                prefix,
                () -> NetNamespace.list().stream()
                        .filter(n -> n.startsWith(prefix))
                        .sorted()
                        .toList());
    }

    /** The name, or the prefix, this deletes. */
    public String name() {
        return name;
    }

    /** {@code ip netns del NAME} for each, failures ignored (a namespace may be gone already). */
    @Override
    public void close() {
        for (String n : names.get()) {
            Ip.run("netns", "del", n);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
