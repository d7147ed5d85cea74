package io.github.netvirt.tap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.netvirt.netns.sys.LibC;
import io.github.netvirt.netns.sys.Sys;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One queue's file descriptor and the protocol that closes it safely.
 *
 * <p>The fd is non-blocking; a reader that finds no frame waits in {@code poll()} on the fd and on
 * an eventfd. Closing a tun fd does not wake a thread blocked in {@code read()} on it, and the fd
 * number could then be reused under that thread; so {@link #close()} first marks the queue closing,
 * signals the eventfd (which wakes every poller at once), waits until no thread is inside a read or
 * write, and only then closes the fds.
 */
final class TapFd {
    private static final System.Logger LOG = System.getLogger(TapFd.class.getName());

    private final int fd;
    private final int wakeFd;
    /** Two {@code struct pollfd} for readers {tap POLLIN, eventfd POLLIN}, two for writers {tap POLLOUT, eventfd}. */
    private final Memory pollFds = new Memory(32);
    private final long readPoll;
    private final long writePoll;
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean closing;
    private boolean closed;

    TapFd(int fd) {
        TapNative.load();
        this.fd = fd;
        int w;
        try {
            w = Sys.eventfd(LibC.EFD_NONBLOCK);
        } catch (RuntimeException e) {
            Sys.closeQuietly(fd);
            throw e;
        }
        this.wakeFd = w;
        readPoll = Pointer.nativeValue(pollFds);
        writePoll = readPoll + 16;
        pollFds.setInt(0, fd);
        pollFds.setShort(4, TapNative.POLLIN);
        pollFds.setShort(6, (short) 0);
        pollFds.setInt(8, wakeFd);
        pollFds.setShort(12, TapNative.POLLIN);
        pollFds.setShort(14, (short) 0);
        pollFds.setInt(16, fd);
        pollFds.setShort(20, TapNative.POLLOUT);
        pollFds.setShort(22, (short) 0);
        pollFds.setInt(24, wakeFd);
        pollFds.setShort(28, TapNative.POLLIN);
        pollFds.setShort(30, (short) 0);
    }

    /** The raw fd, for control-path ioctls by the owner while it is open. */
    int fd() {
        return fd;
    }

    boolean isOpen() {
        return !closing;
    }

    /** Registers the calling thread as using the fd; pair with {@link #leave()}. */
    void enter() throws ClosedChannelException {
        users.incrementAndGet();
        if (closing) {
            users.decrementAndGet();
            throw new ClosedChannelException();
        }
    }

    void leave() {
        users.decrementAndGet();
    }

    /**
     * Reads one frame into {@code len} bytes at {@code address}. Returns the frame's length, which
     * is larger than {@code len} when the kernel truncated it. {@code timeoutMillis} 0 waits forever.
     * Caller must be inside {@link #enter()}.
     */
    int read(long address, int len, int timeoutMillis, String what) throws IOException {
        long deadline = 0;
        while (true) {
            long n = TapNative.read(fd, address, len);
            if (n >= 0) {
                return (int) n;
            }
            int err = Native.getLastError();
            if (err == TapNative.EINTR) {
                continue;
            }
            if (err != TapNative.EAGAIN) {
                if (closing) {
                    throw new AsynchronousCloseException();
                }
                throw new TapIOException("read from " + what, err);
            }
            int wait = -1;
            if (timeoutMillis > 0) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + timeoutMillis * 1_000_000L;
                }
                long left = deadline - now;
                if (left <= 0) {
                    throw new TapTimeoutException("no frame from " + what + " within " + timeoutMillis + " ms");
                }
                wait = (int) Math.max(1, (left + 999_999) / 1_000_000);
            }
            if (await(readPoll, wait, what) && closing) {
                throw new AsynchronousCloseException();
            }
        }
    }

    /**
     * Writes one frame of {@code len} bytes at {@code address}; returns what the kernel took.
     * Caller must be inside {@link #enter()}.
     */
    int write(long address, int len, String what) throws IOException {
        while (true) {
            long n = TapNative.write(fd, address, len);
            if (n >= 0) {
                return (int) n;
            }
            int err = Native.getLastError();
            if (err == TapNative.EINTR) {
                continue;
            }
            if (err != TapNative.EAGAIN) {
                throw new TapIOException("write of a " + len + "-byte frame to " + what, err);
            }
            // a tap rarely refuses a write for lack of memory; wait for room like a blocking fd would
            if (await(writePoll, -1, what) && closing) {
                throw new AsynchronousCloseException();
            }
        }
    }

    /** True when poll() returned because of an event (rather than its timeout). */
    private boolean await(long pollAddress, int timeoutMillis, String what) throws IOException {
        if (closing) {
            throw new AsynchronousCloseException();
        }
        int r = TapNative.poll(pollAddress, 2, timeoutMillis);
        if (r < 0) {
            int err = Native.getLastError();
            if (err == TapNative.EINTR) {
                return false;
            }
            throw new TapIOException("poll " + what, err);
        }
        return r > 0;
    }

    /**
     * Wakes every thread waiting on this fd, waits until none is using it, then closes it. Safe
     * from any thread, idempotent. A thread that closes while it is itself inside a read would
     * wait forever, so readers never call it.
     */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closing = true;
            try {
                LibC.write(wakeFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
            } catch (LastErrorException e) {
                // EAGAIN only when the counter is saturated: it is readable then, which is all we need
            }
            int spins = 0;
            while (users.get() != 0) {
                if (++spins < 100) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(20_000);
                }
            }
            Sys.closeQuietly(fd);
            Sys.closeQuietly(wakeFd);
            pollFds.close();
            closed = true;
            LOG.log(System.Logger.Level.TRACE, "closed tun fd {0}", fd);
        }
    }
}
