package io.github.netvirt.core;

import io.github.netvirt.netns.NetNamespace;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Automatic crash cleanup, like Testcontainers' Ryuk: once per JVM, on the first apply or when the
 * JUnit extension starts, a background thread runs {@link Cleaner#cleanup} over the records of dead
 * owners, with the same proofs of identity; what it removes or leaves alone is logged through
 * {@code System.Logger}. The system property {@value #PROPERTY}{@code =false} turns it off; any value
 * but {@code true} or {@code false} (in any case) is refused.
 */
final class Reaper {
    static final String PROPERTY = "netvirt.reaper";
    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());
    private static CompletableFuture<CleanupReport> started;

    private Reaper() {}

    /**
     * Starts the background cleanup unless it ran already in this JVM or is turned off; returns
     * immediately. The future completes with what it did (an empty report when turned off).
     *
     * @throws IllegalArgumentException if {@value #PROPERTY} is set to neither true nor false
     */
    static synchronized Future<CleanupReport> startOnce() {
        if (started != null) {
            return started.copy(); // callers cannot complete the shared future
        }
        boolean on = on(System.getProperty(PROPERTY, "true"));
        started = new CompletableFuture<>();
        if (!on) {
            started.complete(new CleanupReport(List.of(), List.of()));
            return started.copy();
        }
        CompletableFuture<CleanupReport> result = started;
        RunDir dir = RunDir.current();
        // the caller may be inside a namespace: jvmThread moves the thread to the JVM's before it runs
        Thread t = NetNamespace.jvmThread(
                () -> {
                    try {
                        CleanupReport r = Cleaner.cleanup(dir);
                        if (!r.isEmpty()) {
                            LOG.log(
                                    System.Logger.Level.INFO,
                                    "netvirt reaper ({0}): removed {1}; left alone {2}",
                                    dir,
                                    r.removed(),
                                    r.leftAlone());
                        }
                        result.complete(r);
                    } catch (Throwable e) {
                        LOG.log(System.Logger.Level.WARNING, "netvirt reaper (" + dir + ") failed", e);
                        result.completeExceptionally(e);
                    }
                },
                "netvirt-reaper");
        t.start();
        return result.copy();
    }

    /** The property's value read: only {@code true} and {@code false}, where Boolean.parseBoolean takes anything else as false. */
    private static boolean on(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("system property " + PROPERTY + "=\"" + value
                + "\": expected true or false (false turns the reaper off)");
    }
}
