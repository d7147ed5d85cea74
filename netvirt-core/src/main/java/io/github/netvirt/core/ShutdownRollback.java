package io.github.netvirt.core;

import io.github.netvirt.netns.internal.Uninterrupted;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Rolls back the applies still running when the JVM shuts down (SIGTERM, SIGINT, {@code System.exit}):
 * a shutdown hook, registered on the first apply, interrupts each thread that is in {@link
 * Applier#apply} (which cancels it at its next hand-off or batch, undoing everything) and waits for
 * them to leave it, {@link #WAIT} at most; it waits for a {@link Topology#close()} in progress too,
 * without interrupting it, and for a {@link Topology#detach()}. An apply that completes once the hook
 * has begun (its interrupt came after the last batch) closes what it made instead of returning it;
 * one begun after is refused. It does not touch a topology apply has returned (the caller's to
 * close), nor a change of one, nor anything after {@code Runtime.halt} or SIGKILL.
 */
final class ShutdownRollback {
    private static final System.Logger LOG = System.getLogger(ShutdownRollback.class.getName());

    /** How long the hook waits for the rollbacks: a 100-namespace topology's takes about 0.15 s. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private static final Object LOCK = new Object();
    /** Threads in an apply that the hook may interrupt. */
    private static final Set<Thread> RUNNING = new HashSet<>();
    /** Threads of a failed apply undoing what it did, or closing a topology: the hook waits for them, and does not interrupt them. */
    private static final Set<Thread> UNDOING = new HashSet<>();

    private static boolean hooked;
    private static boolean shuttingDown;
    /** The hook has stopped waiting: a close or detach begun from now on is not waited for. */
    private static boolean hookDone;

    private ShutdownRollback() {}

    /**
     * Runs {@code apply} on the calling thread as an apply the hook interrupts; called with the
     * caller's pending interrupt held back ({@link Uninterrupted}), so that the hook's is not. An apply
     * that completes once the hook has begun (its interrupt came after the last batch, which nothing
     * then notices) closes what it made, the hook waiting for it, and is cancelled.
     *
     * @throws IllegalStateException if the JVM is shutting down already: nothing is made
     * @throws CancellationException if the JVM began shutting down while it ran: everything it did is undone
     */
    static Topology track(Supplier<Topology> apply) {
        Thread self = Thread.currentThread();
        synchronized (LOCK) {
            if (!hooked) {
                hooked = true;
                try {
                    Runtime.getRuntime().addShutdownHook(new Thread(ShutdownRollback::rollBack, "netvirt-shutdown"));
                } catch (IllegalStateException shutdownBegun) {
                    shuttingDown = true;
                }
            }
            if (shuttingDown) { // the JVM halts once its hooks are done: what the apply made would be left
                throw new IllegalStateException("the JVM is shutting down: apply() makes nothing");
            }
            RUNNING.add(self);
        }
        Topology made = null;
        boolean undo;
        try {
            made = apply.get();
        } finally {
            synchronized (LOCK) {
                RUNNING.remove(self);
                undo = made != null && shuttingDown;
                if (undo) {
                    UNDOING.add(self); // the hook waits for the close below
                } else {
                    UNDOING.remove(self);
                }
                LOCK.notifyAll();
            }
        }
        if (!undo) {
            return made;
        }
        try {
            made.close();
        } finally {
            synchronized (LOCK) {
                UNDOING.remove(self);
                LOCK.notifyAll();
            }
        }
        throw new CancellationException("the JVM began shutting down while apply() ran: everything it did was undone");
    }

    /**
     * Runs {@code close}, a topology's removal, as one the hook waits for and does not interrupt: a JVM
     * that exits half-way leaves names whose namespaces are unmounted (listed by {@code ip netns}, and
     * refused by {@code ip netns exec}) until a later cleanup.
     */
    static <T> T closing(Supplier<T> close) {
        Thread self = Thread.currentThread();
        boolean tracked;
        synchronized (LOCK) {
            tracked = hooked && !hookDone && UNDOING.add(self);
        }
        try {
            return close.get();
        } finally {
            if (tracked) {
                synchronized (LOCK) {
                    UNDOING.remove(self);
                    LOCK.notifyAll();
                }
            }
        }
    }

    /** {@link #closing(Supplier)} for a removal without a result ({@link Topology#detach()}). */
    static void closing(Runnable close) {
        closing(() -> {
            close.run();
            return null; // no result: nothing reads it
        });
    }

    /**
     * The calling thread's apply failed and now undoes what it did: from here the hook no longer
     * interrupts it (an interrupt would stop the teardown's own waits half-way), but still waits for it.
     * An interrupt that came before is held back by the teardown ({@link Uninterrupted}).
     */
    static void undoing() {
        Thread self = Thread.currentThread();
        synchronized (LOCK) {
            if (RUNNING.remove(self)) {
                UNDOING.add(self);
            }
        }
    }

    private static void rollBack() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (LOCK) {
            shuttingDown = true;
            try {
                waitForApplies(deadline);
            } finally {
                hookDone = true;
            }
        }
    }

    /** With {@link #LOCK} held: interrupts the applies and waits for them and the closes, until {@code deadline}. */
    private static void waitForApplies(long deadline) {
        if (RUNNING.isEmpty() && UNDOING.isEmpty()) {
            return;
        }
        LOG.log(
                System.Logger.Level.DEBUG,
                () -> "shutdown: rolling back " + RUNNING.size() + " applies, waiting for " + UNDOING.size()
                        + " rollbacks and closes");
        RUNNING.forEach(Thread::interrupt);
        try {
            for (long left = WAIT.toNanos();
                    !(RUNNING.isEmpty() && UNDOING.isEmpty()) && left > 0;
                    left = deadline - System.nanoTime()) {
                LOCK.wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!(RUNNING.isEmpty() && UNDOING.isEmpty())) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    () -> "shutdown: " + (RUNNING.size() + UNDOING.size()) + " applies or closes not done after "
                            + WAIT.toMillis()
                            + " ms: a later netvirt JVM removes what they left (Topology.cleanup())");
        }
    }
}
