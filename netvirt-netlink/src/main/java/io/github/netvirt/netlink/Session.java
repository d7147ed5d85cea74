package io.github.netvirt.netlink;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A netlink socket and its {@link Exchange}, used by one thread at a time and closed once: what
 * {@link NetlinkHandle} and {@link NetlinkChannel} both stand on. Thread-safe.
 */
final class Session {
    private final NetlinkSocket sock;
    private final Exchange exchange;
    /** Names the owner in "... is closed", e.g. {@code netlink handle on NetNamespace[a]}. */
    private final String owner;

    private final ReentrantLock lock = new ReentrantLock();
    /** Set once by the first close(); request paths check it. */
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether the socket and buffers were released; guarded by {@link #lock}. */
    private boolean released;

    Session(NetlinkSocket sock, String where, String owner) {
        this.sock = sock;
        this.exchange = new Exchange(sock, where);
        this.owner = owner;
    }

    /**
     * Runs {@code work} on the exchange under the lock.
     *
     * @throws IllegalStateException when closed, before or while waiting for the lock
     */
    <T> T locked(Function<Exchange, T> work) {
        ensureOpen();
        lock.lock();
        try {
            ensureOpen();
            return work.apply(exchange);
        } finally {
            lock.unlock();
        }
    }

    /** @throws IllegalStateException when closed */
    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(owner + " is closed");
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    int portId() {
        return sock.portId();
    }

    long dumpRetries() {
        return exchange.dumpRetries;
    }

    /**
     * Closes the socket. A thread waiting for a reply is woken (it gets EBADF); concurrent calls
     * release the socket, its eventfd and its buffers once, and each returns after they were released.
     */
    void close() {
        if (closed.compareAndSet(false, true)) {
            sock.wakeup(); // a thread blocked in receive() holds the lock: make it let go
        }
        lock.lock();
        try {
            if (!released) {
                released = true;
                sock.close();
                exchange.release();
            }
        } finally {
            lock.unlock();
        }
    }
}
