package io.github.netvirt.netns.testing;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The fds of this JVM that are sockets of the network namespace whose cookie is {@code cookie}
     * ({@link NetNamespace#cookie()}, never reused, unlike inodes): each holds that namespace alive,
     * whether or not anything else does.
     */
    public static List<Integer> socketsIn(long cookie) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (Map.Entry<String, String> fd : now().fds.entrySet()) {
            if (!fd.getValue().startsWith("socket:")) {
                continue;
            }
            int n = Integer.parseInt(fd.getKey());
            try {
                if (Sys.netnsCookie(n) == cookie) {
                    out.add(n);
                }
            } catch (SyscallException closedMeanwhile) {
                // or another fd under its number now
            }
        }
        return out;
    }

    /** Waits up to {@code seconds} until {@link #socketsIn} is empty; returns what is left then. */
    public static List<Integer> awaitNoSocketsIn(long cookie, int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Integer> left = socketsIn(cookie);
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            left = socketsIn(cookie);
        }
        return left;
    }
}
