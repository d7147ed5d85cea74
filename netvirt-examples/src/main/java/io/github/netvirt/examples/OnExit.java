package io.github.netvirt.examples;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A clean-up that also runs when the JVM is stopped (Ctrl-C, SIGTERM) before the example has done it
 * itself: a shutdown hook runs then, a {@code finally} does not. netvirt's own hook rolls back an
 * {@code apply()} in progress but closes no topology that {@code apply()} returned (README,
 * "Interrupts and shutdown"): a program that made a named topology closes it in a hook of its own.
 */
public final class OnExit implements AutoCloseable {
    /** The clean-up. */
    public interface Cleanup {
        void run() throws Exception;
    }

    private final Thread hook;
    private final AtomicBoolean ran;

    private OnExit(Thread hook, AtomicBoolean ran) {
        this.hook = hook;
        this.ran = ran;
    }

    /** Runs {@code cleanup} if the JVM shuts down before {@link #close()}; at once if it is shutting down already. */
    public static OnExit run(Cleanup cleanup) throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Thread hook = new Thread(
                () -> {
                    ran.set(true);
                    try {
                        cleanup.run();
                    } catch (Exception e) {
                        System.err.println("clean-up on exit failed: " + e);
                    }
                },
                "example-cleanup");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            cleanup.run();
            throw shuttingDown;
        }
        return new OnExit(hook, ran);
    }

    /**
     * Whether the JVM is stopping and the hook has begun the clean-up: what the caller still had of it
     * (a closed topology's namespaces) is gone under it.
     */
    public boolean ran() {
        return ran.get();
    }

    /** Leaves the clean-up to the caller again, who has done it (once the JVM shuts down, the hook does it). */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or ran
        }
    }
}
