package io.github.netvirt.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The peers' files: {@code netvirt-bench/peers/} in the repository, carried inside the bench's jar and
 * unpacked once per run into a private temporary directory (removed at exit), so that the jar
 * measures the same peers wherever it runs.
 */
public final class Peers {
    /** Every file of {@code netvirt-bench/peers/}. */
    static final List<String> FILES = List.of("seed.sh", "star.sh", "tap-peer.c", "go/main.go");

    private static final String RESOURCES = "/io/github/netvirt/bench/peers/";
    private static Path dir;

    private Peers() {}

    /**
     * The unpacked file {@code name}, one of {@link #FILES}.
     *
     * @throws UncheckedIOException when the files cannot be unpacked
     */
    public static synchronized Path file(String name) {
        if (!FILES.contains(name)) {
            throw new IllegalArgumentException("not a peer file: " + name);
        }
        if (dir == null) {
            dir = unpack();
        }
        return dir.resolve(name);
    }

    private static Path unpack() {
        try {
            Path d = Files.createTempDirectory("netvirt-bench-peers-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d), "netvirt-bench-peers-cleanup"));
            for (String f : FILES) {
                try (InputStream in = Peers.class.getResourceAsStream(RESOURCES + f)) {
                    if (in == null) {
                        throw new IOException(
                                RESOURCES + f + " is not on the class path (build netvirt-bench with Maven)");
                    }
                    Path p = d.resolve(f);
                    Files.createDirectories(p.getParent());
                    Files.copy(in, p);
                    if (f.endsWith(".sh") && !p.toFile().setExecutable(true, true)) {
                        throw new IOException("cannot make " + p + " executable");
                    }
                }
            }
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the peers", e);
        }
    }

    public static void delete(Path d) {
        try (Stream<Path> s = Files.walk(d)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the system cleans it eventually
        }
    }
}
