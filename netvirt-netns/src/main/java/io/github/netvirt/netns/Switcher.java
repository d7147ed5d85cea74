package io.github.netvirt.netns;

import io.github.netvirt.netns.sys.LibC;
import io.github.netvirt.netns.sys.Sys;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The library's own threads that switch namespaces for a moment: switch, do tiny work (create an
 * fd, unshare, bind-mount), switch back. Caller threads never switch: a namespace is a property of
 * a thread, inherited by every thread it starts, so a switched caller would leak it into JDK pools.
 */
final class Switcher {
    /** The namespace the JVM started in ({@code /proc/self/ns/net} is the thread-group leader's). */
    static final int ROOT_FD;
    private static final ThreadPoolExecutor POOL;

    static {
        ROOT_FD = Sys.open("/proc/self/ns/net", LibC.O_RDONLY);
        int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        AtomicInteger n = new AtomicInteger();
        POOL = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(() -> {
                // born in whatever namespace its creator was in: start from the JVM's own
                Sys.setns(ROOT_FD, "root namespace");
                r.run();
            }, "netvirt-switch-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> {
                if (!(e instanceof Stranded)) {
                    e.printStackTrace();
                }
            });
            return t;
        });
        POOL.allowCoreThreadTimeOut(true);
    }

    private Switcher() {
    }

    /** Runs {@code task} on a switching thread inside the namespace of {@code nsFd}. */
    static <T> T inside(int nsFd, Callable<T> task) throws Exception {
        return switched(() -> Sys.setns(nsFd, "target namespace"), task);
    }

    /** Runs {@code task} on a switching thread that has just unshared into a brand-new namespace. */
    static <T> T inFreshNamespace(Callable<T> task) throws Exception {
        return switched(Sys::unshareNet, task);
    }

    private static <T> T switched(Runnable enter, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        POOL.execute(() -> {
            boolean stranded = false;
            try {
                enter.run();
                try {
                    result.complete(task.call());
                } finally {
                    stranded = !restore();
                }
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
            if (stranded) {
                // A thread stranded in another namespace must not serve again: end it, the pool replaces it.
                throw new Stranded();
            }
        });
        return await(result);
    }

    private static boolean restore() {
        try {
            Sys.setns(ROOT_FD, "root namespace");
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static final class Stranded extends Error {
        Stranded() {
            super("switching thread could not return to the root namespace", null, false, false);
        }
    }

    static <T> T await(Future<T> f) throws Exception {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the switched work is tiny: finish it rather than strand state
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof Exception ex) {
                        ex.addSuppressed(new Exception("called from here"));
                        throw ex;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw e;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
