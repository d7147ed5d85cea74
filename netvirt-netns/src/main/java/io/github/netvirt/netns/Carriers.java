package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.Uninterrupted;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the JDK's virtual-thread carriers (JDK 21+) in the JVM's namespace while user code runs
 * inside one. The scheduler starts a carrier from whichever thread starts or wakes a virtual thread
 * when none is idle (its first use included, which also starts the JDK's unblocker thread), and
 * ends them all after 30 s without work: a carrier started from inside {@link NetNamespace#call}
 * would run every virtual thread of the JVM in that namespace (measured, JDK 25). So before a
 * resident runs a task, all carriers are started from a thread at home, and a parked virtual thread
 * wakes every 10 s while residents live, so that none is ended and replaced from inside.
 */
final class Carriers {
    private static final System.Logger LOG = System.getLogger(Carriers.class.getName());
    /** {@code Thread.startVirtualThread}, null before JDK 21. */
    private static final MethodHandle START = startVirtualThread();

    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long a warm-up's virtual threads wait for the others to be started, at most. */
    private static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Set while a ticker runs (after the warm-up that started it). */
    private static final AtomicBoolean TICKING = new AtomicBoolean();
    /** Held while carriers are started: a concurrent task waits for them too. */
    private static final Object WARMING = new Object();
    /** Resident threads alive in the JVM, all namespaces. */
    private static final AtomicInteger RESIDENTS = new AtomicInteger();
    /** Until when (nanoTime) the ticker runs even without residents: covers a task not yet on its thread. */
    private static volatile long keepUntil;

    private Carriers() {}

    private static MethodHandle startVirtualThread() {
        if (Runtime.version().feature() < 21) {
            return null; // 19 and 20 have them as a preview only
        }
        try {
            return MethodHandles.publicLookup()
                    .findStatic(
                            Thread.class, "startVirtualThread", MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** A resident thread begins ({@code true}) or ends. */
    static void resident(boolean begins) {
        RESIDENTS.addAndGet(begins ? 1 : -1);
    }

    /** Called before a task is handed to a resident: the carriers are at home and kept until the residents are gone. */
    static void keepHome() {
        if (START == null) {
            return;
        }
        keepUntil = System.nanoTime() + TICK_NANOS;
        if (TICKING.get()) {
            return; // a ticker keeps carriers started at home; it sees keepUntil before it stops
        }
        synchronized (WARMING) {
            if (TICKING.get()) {
                return;
            }
            // on a thread of its own at home, waited for even by an interrupted caller: its task may still run
            Throwable[] failure = new Throwable[1];
            Thread t = Switcher.jvmThread(
                    () -> {
                        try {
                            warm();
                            if (TICKING.compareAndSet(false, true)) {
                                start(Carriers::tick);
                            }
                        } catch (Throwable e) {
                            TICKING.set(false);
                            failure[0] = e;
                        }
                    },
                    "netvirt-carriers");
            t.start();
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Uninterrupted.setAgain();
            }
            if (failure[0] != null) {
                LOG.log(System.Logger.Level.WARNING, "cannot start the virtual-thread carriers at home", failure[0]);
            }
        }
    }

    /**
     * Starts one virtual thread per carrier, each busy until all are started: the scheduler wakes
     * an idle carrier or starts one for each start while the others are busy (on this thread, or on
     * a carrier that takes a start and sees more), and it decides so as each one is started. They
     * spin no longer than that: spinning until all of them run held every free carrier from the
     * JVM's other virtual threads until the deadline while one carrier was held by a CPU-bound or
     * pinned virtual thread (the last of them could not run: a 200 ms pause of all virtual threads,
     * measured on JDK 25). A yield does not help: a carrier goes on with the queue it took the
     * yielding thread from.
     */
    private static void warm() {
        int n = parallelism();
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean started = new AtomicBoolean();
        long end = System.nanoTime() + SPIN_NANOS;
        for (int i = 0; i < n; i++) {
            start(() -> {
                running.incrementAndGet();
                while (!started.get() && running.get() < n && System.nanoTime() - end < 0) {
                    Thread.onSpinWait();
                }
            });
        }
        started.set(true);
    }

    /** The scheduler's parallelism, worked out as the JDK does. */
    private static int parallelism() {
        int p = Integer.getInteger(
                "jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        Integer max = Integer.getInteger("jdk.virtualThreadScheduler.maxPoolSize");
        return max == null ? p : Math.min(p, max);
    }

    /** The ticker: each wake is work for the scheduler, which then ends no carrier. */
    private static void tick() {
        while (true) {
            while (RESIDENTS.get() > 0 || System.nanoTime() - keepUntil < 0) {
                LockSupport.parkNanos(TICK_NANOS);
            }
            TICKING.set(false);
            // a keepHome() that saw TICKING still set counts on this ticker
            if (System.nanoTime() - keepUntil >= 0 || !TICKING.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private static void start(Runnable r) {
        try {
            Thread unused = (Thread) START.invokeExact(r);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) { // startVirtualThread declares none
            throw new IllegalStateException(e);
        }
    }
}
