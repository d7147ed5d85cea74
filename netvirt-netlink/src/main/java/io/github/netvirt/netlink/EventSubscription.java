package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.MalformedMessageException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Require;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.sys.Errno;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A live subscription to rtnetlink multicast groups in one namespace, on its own socket. Use it as a
 * blocking stream ({@link #poll}, {@link #await}), or hand it a listener ({@link #listen}) that runs
 * on a thread of its own. {@link #close()} wakes a blocked reader, stops the listener and releases the
 * socket; closing the {@link NetlinkHandle} that opened the subscription closes it the same way. Closes
 * are idempotent and thread-safe: each returns once the socket is released. A close on a listener's
 * thread (its callback closing its own subscription, or its handle with the others) does not wait for
 * the listeners to return from the event at hand, which may wait for it: they stop after it.
 *
 * <p>If events arrive faster than they are read, the kernel drops some and the next read throws a
 * {@link NetlinkException} with ENOBUFS: the subscriber must then re-read the state it cares about.
 * So does a datagram that cannot be split into messages (EBADMSG), once the events before the bad
 * bytes were read: the events in the rest of it are lost.
 */
public final class EventSubscription implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventSubscription.class.getName());
    /** Set on the listeners' threads: a close there joins no listener, which may be joining it. */
    private static final ThreadLocal<Boolean> ON_LISTENER = ThreadLocal.withInitial(() -> false);

    private final NetlinkSocket sock;
    private final String where;
    private final ArrayDeque<NetlinkEvent> queue = new ArrayDeque<>();
    private final Object readLock = new Object();
    /** EBADMSG for a datagram that could not be split into messages, thrown once the queue is drained. */
    private NetlinkException broken;

    private volatile boolean closed;
    private Thread listener;
    /** Opened once the socket is released, for concurrent closes. */
    private final CountDownLatch released = new CountDownLatch(1);
    /** Run once the socket is released: the handle that opened this subscription forgets it. */
    private volatile Runnable whenClosed = () -> {};

    /** Takes {@code sock}, subscribed already (tests: a socket of another protocol). */
    EventSubscription(NetlinkSocket sock, String where) {
        this.sock = sock;
        this.where = where;
    }

    static EventSubscription open(NetNamespace ns, String where, EventGroup... groups) {
        if (groups.length == 0) {
            throw new IllegalArgumentException("subscribe to at least one group");
        }
        int[] g = new int[groups.length];
        for (int i = 0; i < groups.length; i++) {
            g[i] = groups[i].group;
        }
        return new EventSubscription(NetlinkSocket.open(ns, g), where);
    }

    /**
     * Has the kernel deliver here also the events of the namespaces that have an id in this one
     * ({@code NETLINK_LISTEN_ALL_NSID}), told from this one's by nothing a {@link NetlinkEvent} carries:
     * for a wait that reads the state again on an event, where one of another namespace only costs a read.
     */
    void listenAllNamespaces() {
        sock.setOption(Nl.NETLINK_LISTEN_ALL_NSID, true, "NETLINK_LISTEN_ALL_NSID");
    }

    /**
     * The next event, waiting up to {@code timeout}; null on timeout or after {@link #close()}.
     * Blocks its thread in native code: from a virtual thread it holds the carrier for the whole wait
     * (other virtual threads may wait for a carrier meanwhile); poll on a platform thread.
     *
     * @throws NetlinkException ENOBUFS when the kernel dropped events; EBADMSG when a datagram could not
     *     be split into messages (after the events before the bad bytes: those after them are lost)
     */
    public NetlinkEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (readLock) {
            while (queue.isEmpty()) {
                if (closed) {
                    return null;
                }
                if (broken != null) {
                    NetlinkException e = broken;
                    broken = null;
                    throw e;
                }
                if (Uninterrupted.interrupted()) { // not inside a teardown or heal: held back there
                    throw new InterruptedException();
                }
                if (deadline - System.nanoTime() <= 0) {
                    return null;
                }
                int len;
                try {
                    // wake up at least every 100 ms to notice interrupts
                    len = sock.receive(
                            Math.min(deadline, System.nanoTime() + 100_000_000L), () -> "events in " + where);
                } catch (NetlinkException e) {
                    if (e.is(Errno.ETIMEDOUT)) {
                        continue;
                    }
                    throw e;
                }
                if (len < 0) {
                    return null; // closed
                }
                decode(len);
            }
            return queue.poll();
        }
    }

    /** As {@link #poll(long, TimeUnit)}. */
    public NetlinkEvent poll(Duration timeout) throws InterruptedException {
        return poll(Require.waitNanos(timeout, "timeout"), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits for an event matching {@code condition} and returns it, discarding others.
     * Blocks its thread in native code as {@link #poll(long, TimeUnit)} does.
     *
     * @throws NetlinkException ETIMEDOUT when none comes within {@code timeout}; ENOBUFS and EBADMSG as
     *     {@link #poll(long, TimeUnit)}
     * @throws IllegalStateException when the subscription is (or gets) closed
     */
    public NetlinkEvent await(Predicate<NetlinkEvent> condition, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(condition, "condition");
        long deadline = System.nanoTime() + Require.waitNanos(timeout, "timeout");
        while (true) {
            long left = deadline - System.nanoTime();
            NetlinkEvent e = left > 0 ? poll(left, TimeUnit.NANOSECONDS) : null;
            if (e == null) {
                if (closed) {
                    throw new IllegalStateException("subscription closed");
                }
                if (deadline - System.nanoTime() <= 0) {
                    throw new NetlinkException(
                            "wait for an event in " + where,
                            Errno.ETIMEDOUT.code(),
                            "no matching event within " + timeout,
                            -1);
                }
                continue;
            }
            if (condition.test(e)) {
                return e;
            }
        }
    }

    private void decode(int len) {
        NlReader rd = new NlReader(sock.receiveBuffer(), 0, len);
        while (rd.hasNext()) {
            NlMessage m;
            try {
                m = rd.next();
            } catch (MalformedMessageException ex) {
                broken = new NetlinkException(
                        "events in " + where,
                        Errno.EBADMSG.code(),
                        "malformed datagram: " + ex.getMessage() + "; the events in the rest of it were lost",
                        ex);
                return;
            }
            try {
                NetlinkEvent e = toEvent(m);
                if (e != null) {
                    queue.add(e);
                }
            } catch (MalformedMessageException | IllegalArgumentException ex) {
                LOG.log(System.Logger.Level.WARNING, "ignoring malformed event " + m + ": " + ex.getMessage());
            }
        }
    }

    NetlinkSocket socket() {
        return sock;
    }

    /** Has {@code r} run once the socket is released; set before the subscription is handed out. */
    void whenClosed(Runnable r) {
        whenClosed = r;
    }

    static NetlinkEvent toEvent(NlMessage m) {
        if ((m.type() == Nl.RTM_NEWLINK || m.type() == Nl.RTM_DELLINK) && LinkCodec.family(m) == Nl.AF_BRIDGE) {
            // a bridge's notice about a port's state (STP, VLANs), sent to the link group too: RTM_DELLINK
            // when the port leaves the bridge, the device still there; the device's own message comes beside it
            return null;
        }
        return switch (m.type()) {
            case Nl.RTM_NEWLINK -> NetlinkEvent.of(NetlinkEvent.Type.NEW_LINK, LinkCodec.decode(m));
            case Nl.RTM_DELLINK -> NetlinkEvent.of(NetlinkEvent.Type.DEL_LINK, LinkCodec.decode(m));
            case Nl.RTM_NEWADDR -> NetlinkEvent.of(NetlinkEvent.Type.NEW_ADDRESS, AddressCodec.decode(m));
            case Nl.RTM_DELADDR -> NetlinkEvent.of(NetlinkEvent.Type.DEL_ADDRESS, AddressCodec.decode(m));
            case Nl.RTM_NEWROUTE -> NetlinkEvent.of(NetlinkEvent.Type.NEW_ROUTE, RouteCodec.decode(m));
            case Nl.RTM_DELROUTE -> NetlinkEvent.of(NetlinkEvent.Type.DEL_ROUTE, RouteCodec.decode(m));
            case Nl.RTM_NEWNEIGH -> NetlinkEvent.of(NetlinkEvent.Type.NEW_NEIGHBOR, NeighborCodec.decode(m));
            case Nl.RTM_DELNEIGH -> NetlinkEvent.of(NetlinkEvent.Type.DEL_NEIGHBOR, NeighborCodec.decode(m));
            default -> null;
        };
    }

    /**
     * Delivers every event to {@code consumer} on a new daemon thread until {@link #close()}. Errors
     * (ENOBUFS: events lost; EBADMSG: a datagram that could not be split into messages) go to
     * {@code onError}; the listener keeps running after them.
     *
     * @throws IllegalStateException when the subscription is closed, or listened to already
     */
    public synchronized void listen(Consumer<NetlinkEvent> consumer, Consumer<NetlinkException> onError) {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(onError, "onError");
        if (closed) {
            throw new IllegalStateException("subscription closed");
        }
        if (listener != null) {
            throw new IllegalStateException("already listening");
        }
        // born in the JVM's namespace even when listen() is called from inside NetNamespace.call
        Thread t = NetNamespace.jvmThread(
                () -> {
                    ON_LISTENER.set(true);
                    while (!closed) {
                        try {
                            NetlinkEvent e = poll(1, TimeUnit.SECONDS);
                            if (e != null) {
                                consumer.accept(e);
                            }
                        } catch (NetlinkException ex) {
                            if (closed) {
                                return;
                            }
                            onError.accept(ex);
                        } catch (InterruptedException ex) {
                            return;
                        } catch (RuntimeException ex) {
                            LOG.log(System.Logger.Level.WARNING, "event listener failed", ex);
                        }
                    }
                },
                "netvirt-netlink-events");
        t.setDaemon(true);
        listener = t;
        t.start();
    }

    /** As {@link #listen(Consumer, Consumer)}, logging errors. */
    public void listen(Consumer<NetlinkEvent> consumer) {
        listen(consumer, e -> LOG.log(System.Logger.Level.WARNING, e.getMessage()));
    }

    /** Closes the subscription, as the class Javadoc says. Idempotent. */
    @Override
    public void close() {
        Thread t;
        boolean first;
        synchronized (this) {
            t = listener;
            first = !closed;
            closed = true;
        }
        boolean onListener = ON_LISTENER.get();
        if (!first) {
            if (t != Thread.currentThread()) { // the first closer may be joining this listener
                awaitReleased();
            }
            return;
        }
        sock.wakeup();
        // not from a listener's thread: two listeners closing each other's subscription would join each other
        if (t != null && !onListener) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            synchronized (readLock) {
                sock.close();
            }
        } finally {
            released.countDown();
            whenClosed.run();
        }
    }

    private void awaitReleased() {
        boolean interrupted = false;
        while (true) {
            try {
                released.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
