package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.FileStat;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.Sys;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The library's own threads that switch namespaces for a moment: switch, do tiny work (create an
 * fd, unshare, bind-mount), switch back. Caller threads never switch: a namespace is a property of
 * a thread, inherited by every thread it starts, so a switched caller would leak it into JDK pools.
 *
 * <p>Entering can fail (setns is refused without CAP_SYS_ADMIN, in some containers even as root):
 * the failure completes the caller's wait like any other, and the thread keeps serving. Only a
 * thread that cannot get back to the JVM's namespace ends (the pool replaces it).
 */
final class Switcher {
    private static final System.Logger LOG = System.getLogger(Switcher.class.getName());
    /** The namespace the JVM started in ({@code /proc/self/ns/net} is the thread-group leader's). */
    static final int ROOT_FD;

    /** The nsfs inode of {@link #ROOT_FD}: where every process netvirt starts begins. */
    static final long ROOT_INODE;

    private static final int THREADS =
            Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final ThreadPoolExecutor POOL;
    /** The namespace a switching thread is in while it runs a task away from home (null at home). */
    private static final ThreadLocal<NetNamespace> HERE = new ThreadLocal<>();
    /** Set on the switching threads: they switch themselves for a nested call ({@link #onTheSpot}). */
    private static final ThreadLocal<Boolean> SWITCHING = new ThreadLocal<>();
    /** {@link #atHome}'s entry: nothing for a hand-off (a switching thread starts at home), home for a nested call. */
    private static final Runnable HOME = () -> {};
    /** {@link #unsharing}'s and {@link #ahead}'s entry: nothing (the task unshares itself), for a nested call too. */
    private static final Runnable STAY = () -> {};
    /** {@link Work} that is no ahead's: always wanted, it makes a switching thread waiting for a plan give way. */
    private static final BooleanSupplier ALWAYS = () -> true;

    static {
        ROOT_FD = Sys.open("/proc/self/ns/net", LibC.O_RDONLY);
        ROOT_INODE = inode(ROOT_FD);
        jdkSocketsAtHome();
        AtomicInteger n = new AtomicInteger();
        // a hand-off wakes one waiting thread as the caller unlocks the queue: of an apply's two, the
        // second's thread is woken by the first once that one takes its work, as with a
        // LinkedBlockingQueue (waking it from the caller started it no sooner on two CPUs: it waits for
        // a CPU either way). Not a LinkedTransferQueue: on JDK 17 its timed poll, the idle threads'
        // wait, can spin instead of parking (JDK-8301341).
        POOL = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingDeque<>(), r -> {
            Thread t = jvmThread(
                    () -> {
                        SWITCHING.set(Boolean.TRUE);
                        r.run();
                    },
                    "netvirt-switch-" + n.incrementAndGet());
            t.setUncaughtExceptionHandler((th, e) -> {
                if (!(e instanceof Stranded)) { // Stranded ends a worker on purpose
                    e.printStackTrace();
                }
            });
            return t;
        });
        POOL.allowCoreThreadTimeOut(true);
    }

    private Switcher() {}

    /**
     * Has the JDK make, here in the JVM's namespace, the socket it keeps for good once a socket channel
     * class is first used (on JDK 25, the pre-close descriptor of sun.nio.ch's dispatcher, made on that
     * first use): made by a first socket inside a namespace, it would be made there and keep that
     * namespace alive for the JVM's life. JDK 17 makes it as the JVM starts (measured); from 21 on it is
     * done, at the cost of the JDK's socket classes in a fresh JVM (tens of ms). Nothing is done on a
     * thread outside the JVM's namespace (set there by hand, not by netvirt), and a JVM refused sockets
     * does without.
     */
    private static void jdkSocketsAtHome() {
        if (Runtime.version().feature() < 21) {
            return;
        }
        try {
            if (inode(Path.of("/proc/thread-self/ns/net")) == ROOT_INODE) {
                SocketChannel.open().close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "no socket channel made in the JVM's namespace", e);
        }
    }

    /** How many switching threads there are at most. */
    static int size() {
        return THREADS;
    }

    /**
     * A daemon thread that moves to the JVM's namespace before it runs {@code task}: a thread is
     * born in its creator's namespace, and the creator may be user code inside {@link NetNamespace#call}.
     */
    static Thread jvmThread(Runnable task, String name) {
        // nothing here may throw before task.run(): for a pool thread, task carries its first task
        Thread t = new Thread(
                () -> {
                    if (!goHome()) {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "{0} was started inside another network namespace "
                                        + "and cannot leave it (setns refused)",
                                Thread.currentThread().getName());
                    }
                    task.run();
                },
                name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Runs {@code task} on a switching thread inside {@code ns}, holding its fd until the task is done;
     * on the spot when the calling thread is a switching thread already inside {@code ns}.
     */
    static <T> T inside(NetNamespace ns, Callable<T> task) throws Exception {
        if (isIn(ns)) {
            return task.call();
        }
        int fd = ns.acquire();
        try {
            return switched(() -> enter(fd, ns), task);
        } finally {
            ns.release();
        }
    }

    /** Runs {@code task} on a switching thread that starts in the JVM's namespace and may setns itself. */
    static <T> T atHome(Callable<T> task) throws Exception {
        return switched(HOME, task);
    }

    /**
     * Runs {@code task}, which makes its own namespaces (it unshares), on a switching thread: one
     * handed it at home, or the calling switching thread, which returns to its namespace after.
     */
    static <T> T unsharing(Callable<T> task) throws Exception {
        return switched(STAY, task);
    }

    /**
     * Runs {@code first} and {@code second}, which make their own namespaces (they unshare), at once,
     * each on a switching thread, both handed off by the caller (no thread in between); returns when
     * both are done. {@code second} runs only while {@code wanted} says work is left for it: once
     * {@code first} is done, {@code second} is withdrawn if no thread has begun it and nothing is
     * left, and on a switching thread, where they run one after the other, it is skipped. A failure of
     * {@code first} is thrown, with one of {@code second} suppressed in it, else the failure of
     * {@code second}.
     */
    static void unsharing(Callable<?> first, Callable<?> second, BooleanSupplier wanted) throws Exception {
        if (SWITCHING.get() != null) {
            onTheSpot(STAY, first);
            if (wanted.getAsBoolean()) {
                onTheSpot(STAY, second);
            }
            return;
        }
        withdrawIfInterrupted();
        Handoff<?> other = handOff(STAY, second, wanted);
        Throwable failure = null;
        try {
            switched(STAY, first);
        } catch (Throwable e) { // the second is awaited first: its namespaces are the caller's to close
            failure = e;
        }
        // interrupted while the first waited in the queue, or nothing left for the second: withdrawn
        // if it has not begun
        boolean withdrawn = (failure instanceof InterruptedException || !wanted.getAsBoolean()) && other.claim();
        if (!withdrawn) {
            try {
                other.await();
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /** Whether the calling thread is a switching thread. */
    static boolean onSwitchingThread() {
        return SWITCHING.get() != null;
    }

    /**
     * Hands {@code task} of a {@link NamespacesAhead} to a switching thread that starts in the JVM's
     * namespace, without waiting; the caller awaits the hand-off later. While it is queued it makes
     * a waiting ahead give up only when {@code wanted} says so ({@link #othersQueued}).
     */
    static Handoff<Void> ahead(Callable<Void> task, BooleanSupplier wanted) {
        return handOff(STAY, task, wanted);
    }

    /**
     * Whether work waits in the queue for a switching thread: work withdrawn (it never runs) and an
     * ahead's that would find nothing to do (its caller still plans, gave up, or has every namespace
     * taken) do not count.
     */
    static boolean othersQueued() {
        for (Runnable r : POOL.getQueue()) {
            // claimed while still queued: withdrawn
            if (!(r instanceof Work w) || !w.handoff.begun() && w.wanted.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a switching thread is free (idle, or not started yet): it takes queued work at once. */
    static boolean threadFree() {
        return POOL.getActiveCount() < POOL.getMaximumPoolSize();
    }

    /** setns into {@code ns} through {@code fd} (which the caller holds), failing with a NetnsException. */
    static void enter(int fd, NetNamespace ns) {
        HERE.remove();
        try {
            Sys.setns(fd, ns.toString());
        } catch (SyscallException e) {
            throw NetnsException.from("cannot enter " + ns, e);
        }
        HERE.set(ns);
    }

    /** Records that the calling switching thread is now inside {@code ns} (which it has just made). */
    static void arrived(NetNamespace ns) {
        HERE.set(ns);
    }

    /**
     * True when the calling thread is a switching thread away from home inside {@code ns}'s kernel
     * namespace: by cookie when both are known, else by the nsfs inode of the thread's namespace
     * (the one {@code ns} holds cannot be reused meanwhile). The handle it arrived with may be closed.
     */
    static boolean isIn(NetNamespace ns) {
        NetNamespace here = HERE.get();
        if (here == null || !ns.isOpen()) {
            return false; // a closed handle is refused by the hand-off's acquire
        }
        if (here == ns) {
            return true;
        }
        long c = here.knownCookie();
        long other = ns.knownCookie();
        if (c != 0 && other != 0) {
            return c == other;
        }
        try {
            return inode(Path.of("/proc/thread-self/ns/net")) == ns.inode();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static <T> T switched(Runnable enter, Callable<T> task) throws Exception {
        if (SWITCHING.get() != null) {
            return onTheSpot(enter, task);
        }
        withdrawIfInterrupted();
        return handOff(enter, task).await();
    }

    /**
     * A caller interrupted before it hands work over gets what a caller interrupted while the work
     * waited gets ({@link Handoff#await}): an InterruptedException, the work never run. Else a
     * switching thread quick enough to claim the work first would run it in spite of the interrupt.
     * Inside an {@link Uninterrupted} region the interrupt is held back instead, and the work handed over.
     */
    static void withdrawIfInterrupted() throws InterruptedException {
        if (Uninterrupted.interrupted()) {
            throw new InterruptedException("interrupted before the work was handed over");
        }
    }

    /**
     * A switching thread that needs another namespace (a nested call) switches itself, runs
     * {@code task} and returns to the namespace it was in: waiting for another switching thread
     * instead could wait forever, every switching thread being inside such a task. A thread that
     * cannot get back is {@link Stranded}: the task it was running must not go on in the wrong
     * namespace.
     */
    private static <T> T onTheSpot(Runnable enter, Callable<T> task) throws Exception {
        NetNamespace here = HERE.get();
        int back = Sys.open("/proc/thread-self/ns/net", LibC.O_RDONLY);
        try {
            HERE.remove(); // as on a thread handed the task: no longer in the namespace it came from
            if (enter == HOME) {
                Sys.setns(ROOT_FD, "the JVM's namespace");
            } else {
                enter.run();
            }
            return task.call();
        } finally {
            try {
                Sys.setns(back, "the namespace a nested call came from");
            } catch (SyscallException e) {
                throw new Stranded();
            } finally {
                Sys.closeQuietly(back);
            }
            if (here != null) {
                HERE.set(here);
            } else {
                HERE.remove();
            }
        }
    }

    /** Hands {@code task} to a switching thread, which runs {@code enter} first; the caller awaits the hand-off. */
    private static <T> Handoff<T> handOff(Runnable enter, Callable<T> task) {
        return handOff(enter, task, ALWAYS);
    }

    /** {@link #handOff(Runnable, Callable)}, wanted by a waiting ahead's thread while {@code wanted} says so ({@link #othersQueued}). */
    private static <T> Handoff<T> handOff(Runnable enter, Callable<T> task, BooleanSupplier wanted) {
        Handoff<T> handoff = new Handoff<>();
        POOL.execute(new Work(handoff, wanted, () -> {
            if (!handoff.claim()) {
                return; // the caller was interrupted before this began
            }
            T value = null;
            Throwable failure = null;
            try {
                enter.run();
                value = task.call();
            } catch (Throwable t) {
                failure = t;
            }
            // home before the caller goes on: no switching thread is seen away from it after a call
            boolean home = goHome();
            if (failure != null) {
                handoff.fail(failure);
            } else {
                handoff.complete(value);
            }
            if (!home) {
                // stranded in another namespace (or born in one and refused to leave): never serve again
                throw new Stranded();
            }
        }));
        NamespacesAhead.nudge(); // a switching thread waiting inside an ahead's namespace looks: it makes way if wanted
        return handoff;
    }

    /**
     * Work in the pool's queue: whether it is wanted now (an ahead's is not while its caller plans), and
     * its hand-off: claimed while queued, it was withdrawn and never runs ({@link #othersQueued}).
     */
    private record Work(Handoff<?> handoff, BooleanSupplier wanted, Runnable body) implements Runnable {
        @Override
        public void run() {
            body.run();
        }
    }

    /** Moves the calling thread to the JVM's namespace; false if it is not there afterwards. */
    static boolean goHome() {
        HERE.remove();
        try {
            Sys.setns(ROOT_FD, "the JVM's namespace");
            return true;
        } catch (SyscallException e) {
            // refused (no CAP_SYS_ADMIN): fine if the thread never left
            return isHome();
        }
    }

    /** True when the calling thread is in the JVM's namespace (false when that cannot be told). */
    static boolean isHome() {
        try {
            return inode(Path.of("/proc/thread-self/ns/net")) == ROOT_INODE;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    static long inode(Path nsLink) {
        try {
            return FileStat.of(nsLink.toString(), true).inode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The inode of the namespace file open at {@code nsFd}. */
    static long inode(int nsFd) {
        try {
            return FileStat.of(nsFd).inode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends a switching thread that could not go home; its uncaught-exception handler stays silent. */
    private static final class Stranded extends Error {
        Stranded() {
            super("switching thread could not switch back", null, false, false);
        }
    }
}
