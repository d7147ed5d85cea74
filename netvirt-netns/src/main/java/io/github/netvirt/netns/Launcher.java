package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.Await;
import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one thread that forks every process netvirt starts: {@code netvirt-launcher}, a daemon that
 * lives in the JVM's own namespace for as long as the JVM.
 *
 * <p>Why one long-lived thread: the kernel's parent-death signal ({@code PR_SET_PDEATHSIG}, set by
 * {@code setpriv --pdeathsig KILL} in the child) fires when the <em>thread</em> that forked the child
 * exits, not the process. Forked from a pool thread or a caller's thread, a child would be killed
 * as soon as that thread ended; forked from this thread it is killed exactly when the JVM dies.
 * And since the JDK's {@code process reaper} threads are started by the thread that calls
 * {@link ProcessBuilder#start()}, they too are born here, in the JVM's namespace, never in the
 * namespace of a caller running inside {@link NetNamespace#call}.
 *
 * <p>The thread may be created by a thread inside another namespace (the first start from inside
 * {@code call()}): it moves to the JVM's namespace before serving. If it cannot (no
 * {@code CAP_SYS_ADMIN}), every pending request fails with that error, the thread ends, and the next
 * request tries again with a new one.
 */
final class Launcher {
    private record Request(Callable<?> task, CompletableFuture<Object> result) {}

    private static final LinkedBlockingQueue<Request> QUEUE = new LinkedBlockingQueue<>();
    private static Thread thread;

    private Launcher() {}

    /** Runs {@code task} on the launcher thread and returns its result: for starting processes and threads. */
    @SuppressWarnings("unchecked")
    static <T> T call(Callable<T> task) throws IOException {
        CompletableFuture<Object> result = new CompletableFuture<>();
        QUEUE.add(new Request(task, result));
        ensureThread();
        try {
            return (T) Await.uninterruptibly(result); // a fork under way cannot be taken back: wait for it
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /**
     * What a task's {@code ExecutionException} stands for: its cause thrown when unchecked, returned
     * when an {@code IOException}, wrapped in one otherwise.
     */
    static IOException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return cause instanceof IOException io ? io : new IOException(cause);
    }

    private static synchronized void ensureThread() {
        if (thread == null) {
            thread = new Thread(Launcher::serve, "netvirt-launcher");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static void serve() {
        if (!Switcher.goHome()) {
            failPending(new NetnsException(
                    "netvirt's process launcher was started inside another network namespace"
                            + " and cannot enter the JVM's",
                    Errno.EPERM.code()));
            return;
        }
        while (true) {
            Request r;
            try {
                r = QUEUE.take();
            } catch (InterruptedException e) {
                continue; // nobody may end this thread: its end would kill every process it started
            }
            try {
                r.result().complete(r.task().call());
            } catch (Throwable t) {
                r.result().completeExceptionally(t);
            }
        }
    }

    /** Fails what is queued and lets the next request start a new thread (atomically with its enqueue check). */
    private static synchronized void failPending(RuntimeException e) {
        thread = null;
        Request r;
        while ((r = QUEUE.poll()) != null) {
            r.result().completeExceptionally(e);
        }
    }
}
