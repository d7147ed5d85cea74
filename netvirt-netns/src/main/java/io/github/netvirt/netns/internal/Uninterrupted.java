package io.github.netvirt.netns.internal;

import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Runs work that must finish whole (apply's rollback, teardown, cleanup, a fault's heal) with the
 * caller's interrupts held back, and gives the caller its interrupt status back afterwards: the one
 * pending at entry, and every one that arrives while the work runs (a test framework's timeout,
 * {@code Future.cancel(true)}). netvirt's waits and hand-offs that give up on an interrupt ask
 * {@link #interrupted()} or {@link #holdBack()} instead of giving up: inside such a region they clear
 * the interrupt, remember it, and carry on. Without this, an interrupt would make a teardown leave
 * half a network behind, or a heal on a thread that a test framework's timeout interrupted leave its
 * fault in force. A region inside a region is part of it. For netvirt's modules only.
 */
public final class Uninterrupted {
    /** The calling thread's region, null outside one. */
    private static final ThreadLocal<Region> REGION = new ThreadLocal<>();

    private Uninterrupted() {}

    /**
     * What an entry point throws when its caller's interrupt stopped it: {@code message}, the interrupt
     * as {@code cause}, and the caller's interrupt status set again (the wait that saw it cleared it).
     */
    public static CancellationException cancellation(String message, Throwable cause) {
        Thread.currentThread().interrupt();
        return (CancellationException) new CancellationException(message).initCause(cause);
    }

    private static final class Region {
        /** An interrupt was held back: set again when the region ends. */
        boolean held;
    }

    public static <T> T call(Supplier<T> work) {
        if (REGION.get() != null) {
            return work.get(); // the outer region holds and gives back the interrupts
        }
        Region region = new Region();
        region.held = Thread.interrupted();
        REGION.set(region);
        boolean interrupted = false;
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            // an interrupt that ended a wait netvirt does not know of (a JDK call): the flag was consumed there
            interrupted = causedByInterrupt(e);
            throw e;
        } finally {
            REGION.remove();
            if (region.held || interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs work that an interrupt arriving while it runs cancels (apply, a change), but not one
     * pending when it begins: that one is held back and set again afterwards, as is one that cancelled
     * the work. The regions inside it (a rollback) hold back the interrupts that arrive there. Inside a
     * region, the work is part of it.
     */
    public static <T> T cancellable(Supplier<T> work) {
        if (REGION.get() != null) {
            return work.get();
        }
        boolean interrupted = Thread.interrupted();
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            interrupted |= causedByInterrupt(e);
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@link Thread#interrupted()} for a wait or hand-off that gives up on an interrupt: inside a
     * region the interrupt is cleared and held back for the region's end, and the answer is false.
     */
    public static boolean interrupted() {
        Region region = REGION.get();
        if (region == null) {
            return Thread.interrupted();
        }
        region.held |= Thread.interrupted();
        return false;
    }

    /**
     * For a wait that has just consumed an interrupt (caught an {@link InterruptedException}): inside
     * a region, the interrupt is held back for the region's end and the answer is true (carry on
     * waiting); outside one, false (give up, or keep the interrupt as before).
     */
    public static boolean holdBack() {
        Region region = REGION.get();
        if (region == null) {
            return false;
        }
        region.held = true;
        return true;
    }

    /**
     * Sets the interrupt status again after a wait that swallowed an interrupt to finish (a bounded
     * wait, a join): inside a region it is held back for the region's end instead.
     */
    public static void setAgain() {
        if (!holdBack()) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean causedByInterrupt(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException
                    || c instanceof InterruptedIOException
                    || c instanceof CancellationException) {
                return true;
            }
            for (Throwable s : c.getSuppressed()) {
                if (causedByInterrupt(s)) {
                    return true;
                }
            }
        }
        return false;
    }
}
