package io.github.netvirt.netns;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One piece of work handed to another thread, and the caller's wait for it. The worker
 * {@linkplain #claim() claims} the work before running it; a caller interrupted while waiting
 * withdraws it if the worker has not claimed it yet ({@link InterruptedException}), and otherwise
 * waits for the outcome and keeps its interrupt status. A volatile field and a park, not a
 * CompletableFuture: every apply waits on handoffs while its code still runs interpreted.
 */
final class Handoff<T> {
    private static final Object NULL = new Object();

    private final AtomicBoolean claimed = new AtomicBoolean();
    /** The value ({@link #NULL} for null) or a {@link Failure}; null until the worker is done. */
    private volatile Object outcome;
    /** The thread in {@link #await}, to unpark. */
    private volatile Thread waiter;

    /**
     * Decides who has the work, once: the worker claims it before running it (false: the caller
     * withdrew it, do not run it); the caller claims it to withdraw it (false: the worker has begun).
     */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    void complete(T value) {
        finish(value == null ? NULL : value);
    }

    void fail(Throwable t) {
        finish(new Failure(t));
    }

    private void finish(Object o) {
        outcome = o;
        Thread w = waiter; // read after the write: a waiter not seen here sees the outcome
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /**
     * The work's value, or its exception (marked with the caller's stack). The first interrupt
     * withdraws the work if it has not begun; once begun (switched work is tiny) it is let finish,
     * and the interrupt status is set again on return.
     */
    T await() throws Exception {
        waiter = Thread.currentThread();
        boolean interrupted = false;
        try {
            Object o;
            while ((o = outcome) == null) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    if (!interrupted && claim()) {
                        throw new InterruptedException();
                    }
                    interrupted = true;
                }
            }
            return value(o);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T value(Object o) throws Exception {
        if (o instanceof Failure f) {
            throw unwrap(new ExecutionException(f.cause));
        }
        return o == NULL ? null : (T) o;
    }

    /** The task's own exception, marked with the caller's stack. */
    static Exception unwrap(ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof Exception ex) {
            ex.addSuppressed(new Exception("called from here"));
            return ex;
        }
        if (c instanceof Error err) {
            throw err;
        }
        return e;
    }

    private record Failure(Throwable cause) {}
}
