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

    /** Live network namespaces in the whole kernel (everyone's), or -1 when slabinfo is not readable (not root, no SLUB statistics). */
    public static long netNamespaces() {
        return field("/proc/slabinfo", "net_namespace ", 1);
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

    /** Packets received in a {@link #QUIET_WINDOW_MILLIS} window on a quiet kernel: at most this many. */
    static final long QUIET_PACKET_SOFTIRQS = 5;

    static final long QUIET_WINDOW_MILLIS = 500;

    /**
     * Waits until no packets move in this kernel (at most {@link #QUIET_PACKET_SOFTIRQS} NET_RX
     * softirqs in {@link #QUIET_WINDOW_MILLIS}, {@code /proc/stat}), at most {@code capMillis}, and
     * returns how long it waited in milliseconds; at once when {@code /proc/stat} cannot be read.
     * After an up of a star of 1000 hosts their IPv6 start-up (duplicate address detection, router
     * solicitations, MLD reports: about 8 packets per host over 15 s), each packet flooded by the
     * bridge to its 999 other ports, keeps the CPUs in softirqs for 15 s; meanwhile an unmount's
     * grace period takes up to 10x longer (KERNEL-NOTES.md).
     */
    public static long awaitQuiet(long capMillis) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + capMillis * 1_000_000L;
        long before = netRxSoftirqs();
        while (before >= 0 && System.nanoTime() < end) {
            Thread.sleep(QUIET_WINDOW_MILLIS);
            long now = netRxSoftirqs();
            if (now < 0 || now - before <= QUIET_PACKET_SOFTIRQS) {
                break;
            }
            before = now;
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** NET_RX softirqs served by every CPU since boot ({@code /proc/stat}), or -1 when not readable. */
    static long netRxSoftirqs() {
        return field("/proc/stat", "softirq ", 5); // softirq total HI TIMER NET_TX NET_RX ...
    }

    /** Field {@code index} (0: the first word) of the first line of {@code file} starting with {@code head}, or -1. */
    private static long field(String file, String head, int index) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(head)) {
                    return Long.parseLong(line.trim().split("\\s+")[index]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not readable here: the caller does without
        }
        return -1;
    }
}
