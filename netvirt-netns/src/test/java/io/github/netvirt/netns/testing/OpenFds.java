package io.github.netvirt.netns.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The descriptors this JVM has open, to prove that code under test closed what it opened. Counts
 * and names them, so that a failure says what was left open, not only how many.
 */
public final class OpenFds {
    private final Map<String, String> fds;

    private OpenFds(Map<String, String> fds) {
        this.fds = fds;
    }

    /** The descriptors open now: number to what {@code /proc/self/fd} says each points at. */
    public static OpenFds now() throws IOException {
        Map<String, String> fds = new TreeMap<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    fds.put(
                            fd.getFileName().toString(),
                            Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException closed) {
                    // the listing's own descriptor, or one closed meanwhile
                }
            }
        }
        return new OpenFds(fds);
    }

    /**
     * Waits up to {@code seconds} for this JVM to have no more descriptors open than this snapshot
     * had (a thread that ends after a close may still release one), then fails naming those opened
     * since. A class path jar opened since is not counted: the JVM opens one the first time it loads a
     * class from it, and keeps it open.
     */
    public void awaitNoneLeaked(String what, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Map<String, String> opened;
        while (true) {
            Map<String, String> now = now().fds;
            opened = new TreeMap<>(now);
            opened.entrySet().removeAll(fds.entrySet());
            long jars = opened.values().stream().filter(t -> t.endsWith(".jar")).count();
            if (now.size() - jars <= fds.size()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(what + ": " + fds.size() + " descriptors open before, more after " + seconds
                + " s; open now that were not (number=target): " + opened);
    }
}
