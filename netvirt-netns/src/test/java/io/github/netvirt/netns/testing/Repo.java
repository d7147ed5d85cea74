package io.github.netvirt.netns.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of this repository that tests use (the peers' scripts), found from any module's directory. */
public final class Repo {
    private Repo() {}

    /**
     * {@code relative} (e.g. {@code netvirt-bench/peers/seed.sh}) in the repository that holds the
     * working directory: Maven runs each module's tests in the module's directory.
     *
     * @throws AssertionError when no directory above the working directory holds it
     */
    public static Path file(String relative) {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path f = d.resolve(relative);
            if (Files.exists(f)) {
                return f;
            }
        }
        throw new AssertionError(relative + " not found in " + start + " or any directory above it:"
                + " run the tests from the netvirt repository");
    }
}
