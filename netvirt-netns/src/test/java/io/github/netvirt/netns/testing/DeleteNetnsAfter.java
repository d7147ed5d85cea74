package io.github.netvirt.netns.testing;

/**
 * Deletes the named namespace a test creates when closed, whatever the test did:
 * {@code try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.of(name); NetNamespace ns = NetNamespace.create(name))}.
 * Closing when there is no such namespace (the test deleted it) does nothing.
 */
public final class DeleteNetnsAfter implements AutoCloseable {
    private final String name;

    private DeleteNetnsAfter(String name) {
        this.name = name;
    }

    /** Deletes namespace {@code name} on close (use a {@link TestNames#unique} name). */
    public static DeleteNetnsAfter of(String name) {
        return new DeleteNetnsAfter(name);
    }

    /** {@code ip netns del NAME}, its failure ignored (the namespace may be gone already). */
    @Override
    public void close() {
        Ip.run("netns", "del", name);
    }
}
