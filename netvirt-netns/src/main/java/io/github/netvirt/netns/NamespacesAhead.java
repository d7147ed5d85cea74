package io.github.netvirt.netns;

import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.sys.SyscallException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Unnamed namespaces begun before the work to be done in them is known ({@link
 * NetNamespace#beginEphemeral(List)}): a caller that has work of its own to do first (validating and
 * planning what goes into them) lets the kernel make them meanwhile. {@link #run} gives the work and
 * returns what it returned in each namespace, as {@link NetNamespace#ephemeral(List,
 * NetNamespace.InsideTask)} does; {@link #close} gives up before that, and the namespaces begun are
 * closed (unnamed, nothing of them outlives their handles).
 *
 * <p>Each of the (at most two) switching threads that began one waits inside it for the work. When a
 * switching thread is wanted for other work meanwhile (a hand-off in the queue and no thread free for
 * it: another thread's, the caller's own call that enters a namespace, another ahead's once its
 * caller has given the work; a free thread gets a millisecond to take it), the waiting gives up and
 * {@link #run} makes the namespaces the plain way: no work waits on the threads waiting here but
 * another ahead's still planning. Once the work is given, each thread makes the next namespace no
 * thread has taken until none is left, and a hand-off still queued (on two CPUs the second switching
 * thread often gets no CPU while the caller plans and the first unshares) is wanted work while
 * namespaces are left for it, and withdrawn once the threads that began have taken them all (or
 * failed). Thread-safe; {@link #run} once.
 */
public final class NamespacesAhead implements AutoCloseable {
    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int ABANDONED = 2;

    /** How long a waiting thread lets a free switching thread take queued work before it gives way itself. */
    private static final long QUEUED_GRACE_NANOS = 1_000_000;

    /** The switching threads waiting for some ahead's work, woken to give up when others want a thread. */
    private static final Set<Thread> WAITERS = ConcurrentHashMap.newKeySet();
    /** How many times the waiters were woken: one that sees it changed since it looked looks again. */
    private static final AtomicLong WAKES = new AtomicLong();

    private final List<String> labels;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    /** The index of the next namespace a switching thread takes to make. */
    private final AtomicInteger next = new AtomicInteger();
    /** The work {@link #run} gives, set before the state says so. */
    private volatile NetNamespace.InsideTask<?> task;

    private final List<NetNamespace> made;
    private final Object[] results;
    private volatile List<Handoff<?>> handoffs = List.of();
    /** Per hand-off, whether it was withdrawn before a switching thread began it; null until looked. */
    private boolean[] withdrawn;
    /** The switching threads' hand-offs are awaited and what they made closed (given up) or taken ({@link #run}). */
    private boolean drained;

    private boolean closed;

    private NamespacesAhead(List<String> labels) {
        this.labels = labels;
        this.made = Collections.synchronizedList(new ArrayList<>(labels.size()));
        this.results = new Object[labels.size()];
    }

    /**
     * Hands the namespaces of {@code labels} to the switching threads, one thread from one on, two
     * from two on, without waiting; begins nothing on a switching thread (a nested call) or for an
     * interrupted caller: {@link #run} then makes them the plain way.
     */
    static NamespacesAhead begin(List<String> labels) {
        NamespacesAhead a = new NamespacesAhead(labels);
        int count = labels.size();
        if (count == 0 || Switcher.onSwitchingThread() || interrupted()) {
            a.state.set(ABANDONED);
            return a;
        }
        List<Handoff<?>> begun = new ArrayList<>(2);
        try {
            begun.add(Switcher.ahead(a::work, a::wanted));
            if (count > 1) {
                begun.add(Switcher.ahead(a::work, a::wanted));
            }
        } catch (RuntimeException | Error e) { // no thread for the second (out of threads): give up the first
            a.handoffs = List.copyOf(begun);
            a.close();
            throw e;
        }
        a.handoffs = List.copyOf(begun);
        return a;
    }

    /**
     * Makes namespaces on the calling switching thread, each the next not yet taken by another
     * ({@link #next}), until none is left, and runs the work {@link #run} gives in each, waiting
     * inside the first for it. The namespaces go to whichever thread is free: on two CPUs the second
     * thread often gets one only once the caller has planned, by when the first could have made more
     * than its half. Only the first is made before the work is given: the caller plans on one CPU
     * meanwhile, and a second unshare on each thread then competed with it for the other CPU (the
     * seed's apply measured no faster than with none made ahead).
     */
    private Void work() throws Exception {
        if (state.get() == ABANDONED) {
            return null; // given up before this thread began: no namespace for nothing
        }
        return NetNamespace.takeEach(
                next, labels.size(), this::here, ns -> awaitWork().call(ns), made, results);
    }

    /** The {@code i}th namespace, which the calling switching thread has just made. */
    private NetNamespace here(int i) {
        return NetNamespace.madeHere(null, labels.get(i));
    }

    /**
     * Whether a hand-off of this ahead that begins now has work to do: the work is given and a
     * namespace is left. While the caller plans (or after it gave up) its hand-offs still queued make
     * no waiting thread give way ({@link Switcher#othersQueued}).
     */
    private boolean wanted() {
        return state.get() == RUNNING && next.get() < labels.size();
    }

    /** Gives the ahead up, if the work has not been given: {@link #run} makes the namespaces the plain way. */
    private void giveUp() {
        if (state.compareAndSet(WAITING, ABANDONED)) {
            nudge();
        }
    }

    /** Whether the caller is interrupted, its interrupt status kept (held back in an {@link Uninterrupted} region). */
    private static boolean interrupted() {
        if (Uninterrupted.interrupted()) {
            Thread.currentThread().interrupt();
            return true;
        }
        return false;
    }

    /** The labels of the namespaces, in order. */
    public List<String> labels() {
        return labels;
    }

    /**
     * Runs {@code each} inside each namespace as soon as it exists (those already made at once),
     * on up to two switching threads at once, and returns what it returned, in the order of the
     * labels; everything {@link NetNamespace#ephemeral(List, NetNamespace.InsideTask)} says of its
     * {@code each}, its failures and its all-or-nothing holds here. When no switching thread has begun
     * yet, it waits for one to take the work, as {@code ephemeral} does; called on a switching thread
     * (inside a namespace) it withdraws what none has begun: the threads that began make every
     * namespace, and when none has, they are made there, as {@code ephemeral} does.
     *
     * @throws IllegalStateException if called twice, or after {@link #close}
     * @throws InterruptedException if the caller was interrupted before this, or while no switching
     *     thread had begun (its interrupt status cleared, as a hand-off's): the work never ran, the
     *     namespaces begun are closed; an interrupt once one has begun is kept as the interrupt status
     * @throws NetnsException if a namespace cannot be created
     * @throws Exception what {@code each} throws
     */
    public synchronized <T> List<T> run(NetNamespace.InsideTask<T> each) throws Exception {
        Objects.requireNonNull(each, "each");
        if (task != null || closed) {
            throw new IllegalStateException(closed ? "closed" : "run twice");
        }
        task = each;
        try {
            Switcher.withdrawIfInterrupted(); // as a hand-off would: an interrupted caller makes nothing
        } catch (InterruptedException e) {
            giveUp();
            drain();
            throw e;
        }
        boolean nested = Switcher.onSwitchingThread();
        if (nested) {
            withdrawUnbegun(); // it would wait for a thread, and every thread could be waiting for it
        }
        if (nested && noneBegun() || !state.compareAndSet(WAITING, RUNNING)) {
            giveUp();
            drain();
            return NetNamespace.ephemeral(labels, each); // a thread gave up waiting, or nested: the plain way
        }
        // a hand-off still queued is plain work from here on (Switcher.othersQueued): a thread waiting
        // for another ahead's plan makes way for it
        nudge();
        Throwable failure = null;
        InterruptedException cancel = null;
        boolean ended = false;
        List<Handoff<?>> queued = new ArrayList<>(2);
        List<Handoff<?>> parts = handoffs;
        for (int i = 0; i < parts.size(); i++) { // those begun first: a thread free for one queued is not waited for
            Handoff<?> h = parts.get(i);
            if (withdrawn != null && withdrawn[i]) {
                continue;
            }
            if (!h.begun()) {
                queued.add(h);
                continue;
            }
            try {
                h.await();
            } catch (Throwable e) {
                failure = merge(failure, e);
            }
            ended = true;
        }
        for (Handoff<?> h : queued) {
            // one that ran to its end took namespaces until none was left: one not begun has nothing to do
            if ((ended || cancel != null) && h.claim()) {
                continue;
            }
            try {
                h.await();
                ended = true;
            } catch (InterruptedException e) { // withdrawn: it had not begun
                cancel = e;
            } catch (Throwable e) {
                ended = true;
                failure = merge(failure, e);
            }
        }
        if (cancel != null) {
            if (!ended) {
                throw cancel; // none began: nothing was made
            }
            Thread.currentThread().interrupt(); // another made them all: kept, as a begun hand-off keeps it
        }
        drained = true;
        if (failure != null) {
            NetNamespace.undoMade(failure, made, results);
            if (failure instanceof SyscallException se) {
                throw NetNamespace.cannotCreate(labels.size(), se);
            }
            if (failure instanceof Exception e) {
                throw e;
            }
            throw (Error) failure;
        }
        @SuppressWarnings("unchecked")
        List<T> all = (List<T>) Collections.unmodifiableList(Arrays.asList(results));
        return all;
    }

    /** {@code failure}, or {@code e} if none; {@code e} suppressed in {@code failure} if both. */
    private static Throwable merge(Throwable failure, Throwable e) {
        if (failure == null) {
            return e;
        }
        failure.addSuppressed(e);
        return failure;
    }

    /**
     * Gives up the namespaces if {@link #run} has not been called: waits for the switching threads to
     * stop and closes what they made. Does nothing after {@link #run} or a first close.
     */
    @Override
    public synchronized void close() {
        if (closed || task != null && state.get() == RUNNING) {
            return;
        }
        closed = true;
        if (state.compareAndSet(WAITING, ABANDONED)) {
            nudge();
        }
        if (!drained) {
            drain();
        }
    }

    /** Whether every hand-off was withdrawn ({@link #withdrawUnbegun}): no switching thread began. */
    private boolean noneBegun() {
        for (boolean w : withdrawn) {
            if (!w) {
                return false;
            }
        }
        return true;
    }

    /** Withdraws the hand-offs no switching thread has begun (waiting in the queue behind other work: they never run). */
    private void withdrawUnbegun() {
        if (withdrawn == null) {
            List<Handoff<?>> all = handoffs;
            withdrawn = new boolean[all.size()];
            for (int i = 0; i < withdrawn.length; i++) {
                withdrawn[i] = all.get(i).claim();
            }
        }
    }

    /**
     * Waits for the switching threads of an abandoned ahead and closes the namespaces they made;
     * withdraws first what none has begun, so it waits for no other work. Begun work is let end
     * through an interrupt, which is kept ({@link io.github.netvirt.netns.internal.Await}).
     */
    private void drain() {
        drained = true;
        withdrawUnbegun();
        List<Handoff<?>> all = handoffs;
        Error error = null;
        try {
            for (int i = 0; i < all.size(); i++) {
                if (withdrawn[i]) {
                    continue;
                }
                try {
                    all.get(i).await();
                } catch (Exception e) {
                    // Abandoned, or the namespace could not be made: nothing of it to close
                } catch (Error e) {
                    error = error == null ? e : error; // the other thread is still awaited
                }
            }
        } finally {
            NetNamespace.undoMade(error == null ? new Abandoned() : error, made, results);
        }
        if (error != null) {
            throw error;
        }
    }

    /**
     * On a switching thread inside the namespace it made ahead: waits until {@link #run} gives the work
     * (returned) or the ahead is given up ({@link Abandoned} thrown). Gives it up itself as soon as other
     * work waits for a switching thread and none is free, or still waits after a free one had
     * {@link #QUEUED_GRACE_NANOS} to take it.
     */
    @SuppressWarnings("unchecked")
    <T> NetNamespace.InsideTask<T> awaitWork() {
        if (state.get() == RUNNING) {
            return (NetNamespace.InsideTask<T>) task; // the thread's later namespaces
        }
        Thread me = Thread.currentThread();
        WAITERS.add(me);
        try {
            boolean queuedBefore = false;
            while (true) {
                // reading the queue takes its lock, and a wait for a lock uses up an unpark that came
                // meanwhile: a wake-up since this look is told by the count instead, and not parked through
                long wakes = WAKES.get();
                boolean others = Switcher.othersQueued();
                int s = state.get();
                if (s == RUNNING) {
                    return (NetNamespace.InsideTask<T>) task;
                }
                if (s == ABANDONED) {
                    throw new Abandoned();
                }
                if (!others) {
                    queuedBefore = false;
                    if (WAKES.get() == wakes) {
                        LockSupport.park(this);
                    }
                } else if (queuedBefore || !Switcher.threadFree()) {
                    giveUp();
                } else {
                    // a free thread takes queued work at once; one that ends idle instead (keep-alive)
                    // would leave it there: look again shortly, and give way if it still waits
                    queuedBefore = true;
                    LockSupport.parkNanos(this, QUEUED_GRACE_NANOS);
                }
            }
        } finally {
            WAITERS.remove(me);
        }
    }

    /** Wakes the waiting switching threads to look again: a hand-off was queued, or an ahead's state changed. */
    static void nudge() {
        WAKES.incrementAndGet();
        for (Thread t : WAITERS) {
            LockSupport.unpark(t);
        }
    }

    /** How a waiting switching thread ends when the ahead is given up: its namespace is closed by the caller. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("namespaces begun ahead were given up", null, false, false);
        }
    }
}
