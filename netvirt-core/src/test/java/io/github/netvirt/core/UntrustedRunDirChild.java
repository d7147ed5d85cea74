package io.github.netvirt.core;

/**
 * A JVM that applies the seed with names {@code PREFIX}... and prints how it ended: "applied", or
 * "failed CLASS: MESSAGE (N suppressed)".
 */
public final class UntrustedRunDirChild {
    private UntrustedRunDirChild() {}

    public static void main(String[] args) {
        try (Topology t = Seeds.seed().prefix(args[0]).apply()) {
            System.out.println("applied");
        } catch (RuntimeException e) {
            System.out.println("failed " + e.getClass().getName() + ": " + e.getMessage() + " ("
                    + e.getSuppressed().length + " suppressed)");
        }
    }
}
