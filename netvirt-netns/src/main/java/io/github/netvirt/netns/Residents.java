package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.Residency;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.Uninterrupted;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform threads that live inside one namespace and run user code there, started on demand.
 * A new thread enters the namespace as part of its first task, so a refused {@code setns} fails
 * that task (and the thread, still outside, tries again with the next one) instead of killing the
 * thread before the task could report anything.
 */
final class Residents {
    private static final System.Logger LOG = System.getLogger(Residents.class.getName());

    private final NetNamespace ns;
    private final AtomicInteger count = new AtomicInteger();
    private ThreadPoolExecutor pool;
    /** Closing: new tasks are refused, the threads interrupted (written under the lock, read by them). */
    private volatile boolean shut;
    /**
     * The thread ids of the resident threads started here: a thread joined at shutdown is still
     * listed under {@code /proc/self/task} for a moment after it has ended in Java.
     */
    private final Set<Integer> tids = ConcurrentHashMap.newKeySet();
    /** Whether a thread was ever started here (a pool made): only then can user threads be inside. */
    private boolean started;

    Residents(NetNamespace ns) {
        this.ns = ns;
    }

    /** A thread that runs tasks inside {@link #ns} once it has entered it. */
    private static final class Resident extends Thread {
        private final Residents home;
        boolean entered;
        /** Set while this thread itself stops its pool ({@link #stop()}): it does not interrupt itself. */
        private boolean stopping;

        Resident(Runnable r, String name, Residents home) {
            super(r, name);
            this.home = home;
            setDaemon(true);
        }

        @Override
        public void interrupt() {
            if (stopping && Thread.currentThread() == this) {
                return;
            }
            super.interrupt();
        }

        @Override
        public void run() {
            home.tids.add(Sys.gettid());
            Carriers.resident(true);
            Residency.begin(() -> home.shut);
            try {
                super.run();
            } finally {
                Residency.end();
                Carriers.resident(false);
            }
        }
    }

    /**
     * Hands {@code task} to a resident thread. The namespace's fd is held from here until the thread
     * has entered (or the task was withdrawn).
     *
     * @throws IllegalStateException if the namespace is closed
     */
    <T> Task<T> submit(Callable<T> task) {
        Carriers.keepHome(); // before the task can start a virtual thread inside
        ns.acquire();
        Task<T> t = new Task<>(task);
        try {
            pool().execute(t);
            return t;
        } catch (RuntimeException e) {
            ns.release();
            throw e instanceof RejectedExecutionException ? new IllegalStateException(ns + " is closed", e) : e;
        }
    }

    private synchronized ThreadPoolExecutor pool() {
        if (shut) {
            throw new IllegalStateException(ns + " is closed");
        }
        if (pool == null) {
            started = true;
            ns.heldInode(); // read now, while submit holds the fd: others read it from RUNNING
            synchronized (RUNNING) {
                RUNNING.add(ns);
            }
            String label = ns.name().or(ns::label).orElse("unnamed");
            pool = new ThreadPoolExecutor(
                    0,
                    Integer.MAX_VALUE,
                    5,
                    TimeUnit.SECONDS,
                    new SynchronousQueue<>(),
                    r -> new Resident(r, "netvirt-ns-" + label + "-" + count.incrementAndGet(), this));
        }
        return pool;
    }

    /**
     * The open handles whose resident threads have run code (their inode known): code they run may
     * start processes inside, which {@link LeftInside#endProcesses} leaves to them. Held weakly, so
     * that a handle dropped without close() is collected once its threads have ended.
     */
    private static final Set<NetNamespace> RUNNING =
            Collections.newSetFromMap(new WeakHashMap<>()); // guarded by itself

    /** Whether a handle other than {@code closing} that has run code is still open on the namespace with {@code inode}. */
    static boolean runningElsewhere(long inode, Collection<NetNamespace> closing) {
        synchronized (RUNNING) {
            for (NetNamespace ns : RUNNING) {
                if (ns.heldInode() == inode && !closing.contains(ns)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How long a close waits for the threads to end after their interrupt, at most. */
    static final long STOP_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** How often a close made by a resident thread looks whether the others have ended. */
    private static final long SELF_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * Refuses new tasks and interrupts the threads, without waiting for them: {@link Stopping#await}
     * does, so that closing many namespaces interrupts all of their threads before it waits. Called
     * by one of the threads (a task closing its own namespace), it interrupts the others only.
     */
    Stopping stop() {
        ThreadPoolExecutor p;
        boolean ran;
        synchronized (this) {
            shut = true;
            synchronized (RUNNING) {
                RUNNING.remove(ns);
            }
            p = pool;
            pool = null;
            ran = started;
        }
        Resident self = Thread.currentThread() instanceof Resident r && r.home == this ? r : null;
        if (p != null) {
            if (self != null) {
                self.stopping = true;
            }
            try {
                p.shutdownNow();
            } finally {
                if (self != null) {
                    self.stopping = false;
                }
            }
        }
        return new Stopping(p, ran, self != null);
    }

    /**
     * Threads interrupted by {@link #stop()}, to be joined; {@code ran}: resident threads ever ran here;
     * {@code bySelf}: stopped by one of them, which is not waited for.
     */
    final class Stopping {
        private final ThreadPoolExecutor pool;
        private final boolean ran;
        private final boolean bySelf;

        private Stopping(ThreadPoolExecutor pool, boolean ran, boolean bySelf) {
            this.pool = pool;
            this.ran = ran;
            this.bySelf = bySelf;
        }

        boolean ran() {
            return ran;
        }

        /**
         * Waits until the threads have ended or until {@code deadline} ({@link System#nanoTime()}); on
         * the thread that stopped them, until the others have.
         */
        void await(long deadline) {
            if (pool == null) {
                return;
            }
            while (true) {
                try {
                    boolean ended = bySelf
                            ? othersEnded(deadline)
                            : pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    if (!ended) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "threads inside {0} still running after close(): "
                                        + "a task ignores interruption and keeps the namespace alive",
                                ns);
                    }
                    return;
                } catch (InterruptedException e) {
                    if (!Uninterrupted.holdBack()) { // in a teardown: held back, the wait goes on
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        /** Waits until the threads but the calling one have ended; false at {@code deadline}. */
        private boolean othersEnded(long deadline) throws InterruptedException {
            while (pool.getPoolSize() > 1) { // the caller's worker stays in the pool until its task returns
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                pool.awaitTermination(Math.min(left, SELF_POLL_NANOS), TimeUnit.NANOSECONDS);
            }
            return true;
        }
    }

    /** The thread ids of the resident threads started here, ended or not. */
    Set<Integer> tids() {
        return tids;
    }

    /** A task for a resident thread; see {@link NetNamespace#call} for how a waiting caller is interrupted. */
    final class Task<T> extends FutureTask<T> {
        private static final int WAITING = 0;
        private static final int STARTED = 1;
        private static final int DONE = 2;
        private static final int WITHDRAWN = 3;
        private final AtomicInteger state = new AtomicInteger(WAITING);
        private Thread runner;
        /** An interrupt that came while the thread was still entering: delivered when the task starts. */
        private boolean interruptPending;

        Task(Callable<T> task) {
            super(task);
        }

        @Override
        public void run() {
            try {
                if (!state.compareAndSet(WAITING, STARTED)) {
                    return;
                }
                Resident self = (Resident) Thread.currentThread();
                if (!self.entered) {
                    try {
                        Switcher.enter(ns.heldFd(), ns);
                        self.entered = true;
                    } catch (RuntimeException e) {
                        setException(e);
                        state.set(DONE);
                        return;
                    }
                }
            } finally {
                ns.release();
            }
            synchronized (this) {
                runner = Thread.currentThread();
                if (interruptPending) {
                    runner.interrupt();
                }
            }
            try {
                super.run();
            } finally {
                synchronized (this) {
                    runner = null;
                    state.set(DONE);
                }
            }
        }

        /** True (and the task will never run) if it has not started yet. */
        boolean withdraw() {
            if (state.compareAndSet(WAITING, WITHDRAWN)) {
                cancel(false);
                return true;
            }
            return false;
        }

        /** Passes a waiting caller's interrupt on to the thread running the task, if it still runs it. */
        synchronized void interruptRunner() {
            if (runner != null) {
                runner.interrupt();
            } else if (state.get() == STARTED) {
                interruptPending = true;
            }
        }
    }
}
