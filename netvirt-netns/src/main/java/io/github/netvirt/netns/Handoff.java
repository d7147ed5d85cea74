package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.Await;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One piece of work handed to another thread, and the caller's wait for it. The worker
 * {@linkplain #claim() claims} the work before running it; a caller interrupted while waiting
 * withdraws it if the worker has not claimed it yet ({@link InterruptedException}), and otherwise
 * waits for the outcome and keeps its interrupt status.
 */
final class Handoff<T> {
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final AtomicBoolean claimed = new AtomicBoolean();

    /**
     * Decides who has the work, once: the worker claims it before running it (false: the caller
     * withdrew it, do not run it); the caller claims it to withdraw it (false: the worker has begun).
     */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    void complete(T value) {
        result.complete(value);
    }

    void fail(Throwable t) {
        result.completeExceptionally(t);
    }

    T await() throws Exception {
        try {
            // once started, switched work is tiny: let it finish
            return Await.outcome(result::get, first -> first && claim());
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
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
}
