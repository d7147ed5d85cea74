package io.github.netvirt.netns.testing;

import java.util.List;

/**
 * The seed recipe of README.md run as a shell script ({@code netvirt-bench/peers/seed.sh}): the
 * network netvirt's seed must equal, built by {@code ip} commands.
 */
public final class Recipe {
    /** The script, relative to the repository's root. */
    public static final String SEED = "netvirt-bench/peers/seed.sh";

    private Recipe() {}

    /**
     * A unique prefix short enough for the recipe's temporary veth names in the root namespace
     * (prefix + {@code "veth1"} within 15 bytes).
     */
    public static String prefix() {
        return TestNames.unique("c").replace("-", "") + "-";
    }

    /** Builds the seed with its namespaces named {@code prefix + "net0"} and so on. */
    public static void seedUp(String prefix) {
        Ip.Result r = seed(prefix, "up");
        if (r.exitCode() != 0) {
            seed(prefix, "down");
            throw new AssertionError(SEED + " up failed (" + r.exitCode() + "): " + r.err() + r.out());
        }
    }

    /** Removes what {@link #seedUp} made, and what a failed {@code up} left; quiet when there is nothing. */
    public static void seedDown(String prefix) {
        seed(prefix, "down");
    }

    private static Ip.Result seed(String prefix, String command) {
        return Ip.exec(List.of("env", "PREFIX=" + prefix, Repo.file(SEED).toString(), command));
    }
}
