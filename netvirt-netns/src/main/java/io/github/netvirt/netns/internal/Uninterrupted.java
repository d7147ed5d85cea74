package io.github.netvirt.netns.internal;

import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Runs work that must finish whole (apply and its rollback, teardown, cleanup, a fault's heal) with
 * the caller's pending interrupt held back, and gives the caller its interrupt status back afterwards.
 * netvirt's hand-offs to switching threads give up when the caller is interrupted before they start
 * (a pending interrupt included); without this, a pending interrupt
 * would make a teardown leave half a network behind, or a heal on a thread that a test framework's
 * timeout interrupted leave its fault in force. For netvirt's modules only.
 */
public final class Uninterrupted {
    private Uninterrupted() {}

    public static <T> T call(Supplier<T> work) {
        boolean interrupted = Thread.interrupted();
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            // an interrupt that came while the work ran ended a hand-off: the flag was consumed there
            interrupted |= causedByInterrupt(e);
            throw e;
        } finally {
            if (interrupted) {
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
