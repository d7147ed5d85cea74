package io.github.netvirt.netns;

import io.github.netvirt.netns.sys.Sys;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The platform threads that live inside one namespace and run user code there, started on demand. */
final class Residents {
    private static final System.Logger LOG = System.getLogger(Residents.class.getName());

    private final NetNamespace ns;
    private final AtomicInteger count = new AtomicInteger();
    private ThreadPoolExecutor pool;

    Residents(NetNamespace ns) {
        this.ns = ns;
    }

    synchronized <T> Future<T> submit(Callable<T> task) {
        if (pool == null) {
            int fd = ns.fd();
            String label = ns.name().orElse("unnamed");
            pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
                Thread t = new Thread(() -> {
                    Sys.setns(fd, "namespace " + label);
                    r.run();
                }, "netvirt-ns-" + label + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool.submit(task);
    }

    /** Interrupts and joins the threads: each one holds the namespace alive while it runs. */
    void shutdown() {
        ThreadPoolExecutor p;
        synchronized (this) {
            p = pool;
            pool = null;
        }
        if (p == null) {
            return;
        }
        p.shutdownNow();
        try {
            if (!p.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "threads inside {0} still running after close(): "
                        + "a task ignores interruption and keeps the namespace alive", ns);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
