package io.github.netvirt.core;

import java.io.InterruptedIOException;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Runs work that must finish whole (apply and its rollback, teardown, cleanup) with the caller's
 * pending interrupt held back, and gives the caller its interrupt status back afterwards. netvirt's
 * hand-offs to switching threads give up when the caller is interrupted before they start; without
 * this, a pending interrupt would make a teardown leave half a network behind.
 */
final class Uninterrupted {
    private Uninterrupted() {}

    static <T> T call(Supplier<T> work) {
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

    static void run(Runnable work) {
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
