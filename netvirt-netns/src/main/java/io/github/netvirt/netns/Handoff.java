package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.Await;
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

    /** Whether the work has been claimed: begun by the worker, unless the caller withdrew it. */
    boolean begun() {
        return claimed.get();
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
     * withdraws the work if it has not begun; begun work is let finish ({@link Await#outcome}).
     */
    T await() throws Exception {
        waiter = Thread.currentThread();
        try {
            // once started, switched work is tiny: let it finish
            return Await.outcome(this::outcome, first -> first && claim());
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /** Blocks until the worker is done: its value, or its failure as an ExecutionException. */
    @SuppressWarnings("unchecked")
    private T outcome() throws InterruptedException, ExecutionException {
        Object o;
        while ((o = outcome) == null) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        if (o instanceof Failure f) {
            throw new ExecutionException(f.cause);
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
