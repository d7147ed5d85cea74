package io.github.netvirt.netns.testing;

import java.util.List;

/**
 * The seed recipe of README.md run as a shell script ({@code netvirt-bench/peers/seed.sh}): the
 * network netvirt's seed must equal, built by {@code ip} commands. {@code try (Recipe r = Recipe.up(prefix))}
 * builds it and removes it again.
 */
public final class Recipe implements AutoCloseable {
    /** The script, relative to the repository's root. */
    public static final String SEED = "netvirt-bench/peers/seed.sh";

    private final String prefix;

    private Recipe(String prefix) {
        this.prefix = prefix;
    }

    /**
     * A unique prefix short enough for the recipe's temporary veth names in the root namespace
     * (prefix + {@code "veth1"} within 15 bytes).
     */
    public static String prefix() {
        return TestNames.unique("c").replace("-", "") + "-";
    }

    /**
     * Builds the seed with its namespaces named {@code prefix + "net0"} and so on; {@link #close()}
     * removes it. A failed build removes what it made and throws an AssertionError.
     */
    public static Recipe up(String prefix) {
        Ip.Result r = seed(prefix, "up");
        if (r.exitCode() != 0) {
            seed(prefix, "down");
            throw new AssertionError(SEED + " up failed (" + r.exitCode() + "): " + r.err() + r.out());
        }
        return new Recipe(prefix);
    }

    /** Removes what {@link #up} made; quiet when there is nothing left. */
    @Override
    public void close() {
        seed(prefix, "down");
    }

    private static Ip.Result seed(String prefix, String command) {
        return Ip.exec(List.of("env", "PREFIX=" + prefix, Repo.file(SEED).toString(), command));
    }
}
