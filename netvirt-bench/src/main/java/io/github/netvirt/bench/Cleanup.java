package io.github.netvirt.bench;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Clean-up actions that also run from a shutdown hook, so that a bench killed with Ctrl-C (or
 * failing half-way) still removes its namespaces and runs the peers' {@code down}.
 */
public final class Cleanup {
    private static final Deque<Runnable> ACTIONS = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::runAll, "netvirt-bench-cleanup"));
    }

    private Cleanup() {}

    public static synchronized void register(Runnable action) {
        ACTIONS.push(action);
    }

    public static synchronized void unregister(Runnable action) {
        ACTIONS.remove(action);
    }

    /** Runs and forgets every registered action, newest first; failures are reported, not thrown. */
    public static void runAll() {
        while (true) {
            Runnable a;
            synchronized (Cleanup.class) {
                a = ACTIONS.poll();
            }
            if (a == null) {
                return;
            }
            try {
                a.run();
            } catch (RuntimeException e) {
                System.err.println("# cleanup failed: " + e);
            }
        }
    }
}
