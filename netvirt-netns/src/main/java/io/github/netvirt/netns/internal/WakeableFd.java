package io.github.netvirt.netns.internal;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.netvirt.netns.sys.Errno;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A file descriptor that a waiting thread can be woken from: the fd, an eventfd, and {@code poll()}
 * on both. netvirt's one wake-up mechanism, used by netlink sockets, TAP queues and the impairing
 * relay. The eventfd is made by the first {@link #await}: a netlink socket, whose replies are
 * queued before {@code sendto} returns, mostly never polls, and so is opened with one system call
 * fewer and closed with one instead of three.
 *
 * <p>Closing an fd does not wake a thread blocked on it (in {@code read()} or {@code poll()}), and
 * the fd number could then be reused under that thread. So {@link #close()} first marks the fd
 * closing and signals the eventfd, which wakes every poller at once, then waits until no thread is
 * between {@link #enter()} and {@link #leave()}, and only then closes both fds. Threads that use the
 * fd without entering (a single owner that has stopped its reader first) need no more than that.
 *
 * <p>{@link #await} allocates nothing: the {@code struct pollfd} pairs live in direct memory made
 * once. Thread-safe; {@link #close()} is idempotent and must not be called by a thread that has
 * entered.
 */
public final class WakeableFd implements AutoCloseable {
    /** {@link #await}: the fd is ready, or has an error or hang-up that the next call will report. */
    public static final int READY = 1;
    /** {@link #await}: the timeout passed, or a signal interrupted the wait; nothing happened. */
    public static final int TIMEOUT = 0;
    /** {@link #await}: {@link #wakeup()} or {@link #close()} was called. */
    public static final int WOKEN = -1;
    /** {@link #await}: {@code poll()}, or making the eventfd, failed; the errno is in {@link LibC#errno()}. */
    public static final int FAILED = -2;

    /**
     * The direct memory of closed instances, for the next ones: a direct allocation costs far more
     * than the socket it serves while the JIT has not compiled it (a reserve, a zeroing, a cleaner).
     */
    private static final ConcurrentLinkedQueue<Memory> SPARE = new ConcurrentLinkedQueue<>();

    private static final int MAX_SPARE = 256;
    private static final AtomicInteger spares = new AtomicInteger();

    private final int fd;
    /** The eventfd, -1 until the first {@link #await} makes it; written under {@link #lock}. */
    private volatile int wakeFd = -1;
    /** pollfd {fd POLLIN, eventfd POLLIN} at 0, {fd POLLOUT, eventfd POLLIN} at 16, the eventfd's u64 1 at 32. */
    private final ByteBuffer memory;

    private final long address;
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean woken;
    private volatile boolean closing;
    /** Guards the eventfd (made, signalled, closed) and {@link #closed}; never held while waiting for users. */
    private final Object lock = new Object();

    private boolean closed;
    private boolean signaled;

    private WakeableFd(int fd) {
        this.fd = fd;
        Memory m = SPARE.poll();
        if (m == null) {
            ByteBuffer b = ByteBuffer.allocateDirect(40).order(ByteOrder.nativeOrder());
            m = new Memory(b, Pointer.nativeValue(Native.getDirectBufferPointer(b)));
            b.putLong(32, 1L);
        } else {
            spares.decrementAndGet();
        }
        this.memory = m.buffer;
        this.address = m.address;
        // one put per pollfd: each put costs a chain of calls while the JIT has not compiled it
        memory.putLong(0, pollfd(fd, LibC.POLLIN));
        memory.putLong(16, pollfd(fd, LibC.POLLOUT));
    }

    /** {@code struct pollfd {int fd; short events; short revents = 0}} as one long in native byte order. */
    static long pollfd(int fd, short events) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? (fd & 0xffff_ffffL) | (events & 0xffffL) << 32
                : (long) fd << 32 | (events & 0xffffL) << 16;
    }

    /** Takes ownership of {@code fd}; makes no system call. */
    public static WakeableFd of(int fd) {
        return new WakeableFd(fd);
    }

    /** The fd, for the owner's calls while it is open. */
    public int fd() {
        return fd;
    }

    /** The eventfd, or -1 while no {@link #await} has made it (for tests). */
    int eventfd() {
        return wakeFd;
    }

    /** Registers the calling thread as using the fd; false (and not registered) once closing. Pair with {@link #leave()}. */
    public boolean enter() {
        users.incrementAndGet();
        if (closing) {
            users.decrementAndGet();
            return false;
        }
        return true;
    }

    public void leave() {
        users.decrementAndGet();
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: no limit) until the fd is readable, or writable when
     * {@code write}, or until {@link #wakeup()}: {@link #READY}, {@link #TIMEOUT}, {@link #WOKEN} or
     * {@link #FAILED}.
     */
    public int await(boolean write, int timeoutMillis) {
        if (woken) {
            return WOKEN;
        }
        if (wakeFd < 0 && !makeEventfd()) {
            return FAILED;
        }
        long pair = write ? address + 16 : address;
        // revents are output only: poll() overwrites them, so threads sharing a pair do not interfere
        int r = LibC.poll(pair, 2, timeoutMillis);
        if (r < 0) {
            return LibC.errno() == Errno.EINTR.code() ? TIMEOUT : FAILED;
        }
        if (r == 0) {
            return TIMEOUT;
        }
        return woken || memory.getShort((write ? 16 : 0) + 14) != 0 ? WOKEN : READY;
    }

    /**
     * Makes the eventfd, once (false, with the errno in {@link LibC#errno()}, if it cannot be),
     * signalled at once if {@link #wakeup()} came first; none once closed, where {@link #await}
     * returns {@link #WOKEN} anyway.
     */
    private boolean makeEventfd() {
        synchronized (lock) {
            if (wakeFd >= 0 || closed) {
                return true;
            }
            int wake = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
            if (wake < 0) {
                return false;
            }
            memory.putLong(8, pollfd(wake, LibC.POLLIN));
            memory.putLong(24, pollfd(wake, LibC.POLLIN));
            wakeFd = wake;
            if (woken) {
                signaled = true;
                signal();
            }
            return true;
        }
    }

    /**
     * Makes every thread waiting in {@link #await} return {@link #WOKEN}, and every later call,
     * without closing anything. Idempotent; does nothing once closed.
     */
    public void wakeup() {
        woken = true;
        synchronized (lock) {
            // no eventfd yet: the thread that makes it signals it
            if (!closed && !signaled && wakeFd >= 0) {
                signaled = true; // never drained: the eventfd stays readable
                signal();
            }
        }
    }

    /** True once {@link #wakeup()} or {@link #close()} was called: the owner is stopping. */
    public boolean isWoken() {
        return woken;
    }

    /** True once {@link #close()} was called (the fds may still be open while users leave). */
    public boolean isClosing() {
        return closing;
    }

    private void signal() {
        // EAGAIN only when the counter is saturated: it is readable then, which is all we need
        LibC.write(wakeFd, address + 32, 8);
    }

    /**
     * Wakes every waiting thread, waits until none has entered, then closes the fd and the eventfd.
     * Safe from any thread that has not entered; idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closing = true;
        wakeup();
        int spins = 0;
        while (users.get() != 0) {
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
        synchronized (lock) {
            Sys.closeQuietly(fd);
            if (wakeFd >= 0) {
                Sys.closeQuietly(wakeFd);
            }
            closed = true;
        }
        // no thread polls through it now (every later await returns WOKEN before touching it)
        if (spares.incrementAndGet() <= MAX_SPARE) {
            SPARE.add(new Memory(memory, address));
        } else {
            spares.decrementAndGet();
        }
    }

    private record Memory(ByteBuffer buffer, long address) {}
}
