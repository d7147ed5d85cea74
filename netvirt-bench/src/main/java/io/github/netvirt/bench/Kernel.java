package io.github.netvirt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel destroys a deleted namespace asynchronously, in batches, seconds after
 * {@code ip netns del} (or netvirt's close) returned: with 1000 hosts the backlog takes several
 * seconds to clear, and whoever is timed next pays for it. The bench waits for it off the clock,
 * watching the live {@code net_namespace} objects in {@code /proc/slabinfo}.
 */
public final class Kernel {
    private Kernel() {}

    /** Live network namespaces in the whole kernel (everyone's), or -1 when slabinfo is not readable. */
    public static long netNamespaces() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/slabinfo"))) {
                if (line.startsWith("net_namespace ")) {
                    return Long.parseLong(line.trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not root, or no SLUB statistics: the fixed pause below has to do
        }
        return -1;
    }

    /**
     * Waits until no more namespaces are alive than {@code before} (plus a little for other users of
     * this kernel), at least 100 ms and at most {@code capMillis}.
     */
    public static void awaitNamespacesGone(long before, long capMillis) throws InterruptedException {
        Thread.sleep(100);
        if (before < 0) {
            Thread.sleep(Math.min(capMillis, 1000));
            return;
        }
        long end = System.nanoTime() + capMillis * 1_000_000L;
        while (System.nanoTime() < end) {
            long now = netNamespaces();
            if (now < 0 || now <= before + 4) {
                return;
            }
            Thread.sleep(50);
        }
    }
}
