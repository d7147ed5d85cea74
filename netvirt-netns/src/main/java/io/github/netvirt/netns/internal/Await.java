package io.github.netvirt.netns.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waiting for work handed to another thread as if the caller did it: an interrupt does not abandon
 * work that has started (it could leave a namespace or a link behind nobody knows of), it is kept
 * as the caller's interrupt status once the outcome is in (inside an {@link Uninterrupted} region, held
 * back for its end). For netvirt's modules only.
 */
public final class Await {
    private Await() {}

    /** Reads an outcome, blocking. */
    @FunctionalInterface
    public interface Outcome<T> {
        T get() throws InterruptedException, ExecutionException;
    }

    /** What an interrupt of the waiting thread does to the work waited for. */
    @FunctionalInterface
    public interface OnInterrupt {
        /**
         * @param first whether this is the first interrupt of this wait
         * @return true to give up waiting (the work never started and never will): the
         *     InterruptedException is thrown; false to keep waiting
         */
        boolean withdraw(boolean first);

        /**
         * An interrupt held back inside an {@link Uninterrupted} region: the work is neither withdrawn
         * nor given up on; what the wait still does with it. A task of the caller's that runs
         * on another thread gets it there as it would outside the region ({@code NetNamespace.call}):
         * else a task that waits for an interrupt would keep the region (a close) waiting for ever.
         */
        default void heldBack() {}
    }

    /** Keeps waiting for {@code outcome} through every interrupt. */
    public static final OnInterrupt NEVER_WITHDRAW = first -> false;

    /**
     * Waits for {@code outcome}; on each interrupt asks {@code onInterrupt} whether to give up. The
     * interrupt status is set again on return when an interrupt was swallowed. Inside an
     * {@link Uninterrupted} region {@code onInterrupt} is not asked to withdraw: the interrupt is held back
     * for the region's end, and {@link OnInterrupt#heldBack} told.
     *
     * @throws InterruptedException when {@code onInterrupt} gave up
     * @throws ExecutionException as {@code outcome} throws it
     */
    public static <T> T outcome(Outcome<T> outcome, OnInterrupt onInterrupt)
            throws InterruptedException, ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return outcome.get();
                } catch (InterruptedException e) {
                    if (Uninterrupted.holdBack()) {
                        onInterrupt.heldBack(); // held back for the region's end: not withdrawn
                        continue;
                    }
                    if (onInterrupt.withdraw(!interrupted)) {
                        throw e;
                    }
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Uninterrupted.setAgain();
            }
        }
    }

    /** Waits for {@code f} through every interrupt, keeping the interrupt status for the caller. */
    public static <T> T uninterruptibly(Future<T> f) throws ExecutionException {
        try {
            return outcome(f::get, NEVER_WITHDRAW);
        } catch (InterruptedException e) {
            throw new AssertionError("NEVER_WITHDRAW gave up", e);
        }
    }

    /** Joins {@code t} through every interrupt, keeping the interrupt status for the caller. */
    public static void join(Thread t) {
        try {
            outcome(
                    () -> {
                        t.join();
                        return null;
                    },
                    NEVER_WITHDRAW);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("NEVER_WITHDRAW gave up", e);
        }
    }
}
