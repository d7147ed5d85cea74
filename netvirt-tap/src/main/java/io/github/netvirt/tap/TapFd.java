package io.github.netvirt.tap;

import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.internal.WakeableFd;
import io.github.netvirt.netns.sys.Errno;
import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;

/**
 * One queue's file descriptor and the protocol that closes it safely.
 *
 * <p>The fd is non-blocking; a reader that finds no frame tries once more, then waits in
 * {@code poll()} on the fd and on an eventfd ({@link WakeableFd}). Closing a tun fd does not wake a
 * thread blocked in {@code read()} on it, and the fd number could then be reused under that thread;
 * so {@link #close()} first wakes every poller, waits until no thread is inside a read or write, and
 * only then closes the fds.
 */
final class TapFd {
    private static final System.Logger LOG = System.getLogger(TapFd.class.getName());

    private final WakeableFd wakeable;
    private final int fd;

    TapFd(int fd) {
        LibC.load();
        this.wakeable = WakeableFd.of(fd);
        this.fd = fd;
    }

    /** The raw fd, for control-path ioctls by the owner while it is open. */
    int fd() {
        return fd;
    }

    boolean isOpen() {
        return !wakeable.isClosing();
    }

    /** Registers the calling thread as using the fd; pair with {@link #leave()}. */
    void enter() throws ClosedChannelException {
        if (!wakeable.enter()) {
            throw new ClosedChannelException();
        }
    }

    void leave() {
        wakeable.leave();
    }

    /** {@link #read} timeout: do not wait, return -1 when no frame is queued. */
    static final int NO_WAIT = -1;

    /**
     * Reads one frame into {@code len} bytes at {@code address}. Returns the frame's length, which
     * is larger than {@code len} when the kernel truncated it. {@code timeoutMillis} 0 waits forever;
     * {@link #NO_WAIT} returns -1 at once when no frame is queued. Caller must be inside {@link #enter()}.
     */
    int read(long address, int len, int timeoutMillis, String what) throws IOException {
        return transfer(false, address, len, timeoutMillis, what);
    }

    /**
     * Writes one frame of {@code len} bytes at {@code address}; returns what the kernel took.
     * Caller must be inside {@link #enter()}.
     */
    int write(long address, int len, String what) throws IOException {
        // a tap rarely refuses a write for lack of memory; wait for room like a blocking fd would
        return transfer(true, address, len, 0, what);
    }

    /**
     * One frame each way, waiting for the fd while it would block, up to {@code timeoutMillis} (0:
     * forever, {@link #NO_WAIT}: not at all).
     */
    private int transfer(boolean write, long address, int len, int timeoutMillis, String what) throws IOException {
        long deadline = 0;
        boolean again = !write;
        while (true) {
            long n = syscall(write, address, len);
            if (n >= 0) {
                return (int) n;
            }
            int err = (int) -n;
            if (err != Errno.EAGAIN.code()) {
                if (write) {
                    throw TapIOException.ofWrite("write of a " + len + "-byte frame to " + what, err);
                }
                if (wakeable.isClosing()) {
                    throw new AsynchronousCloseException();
                }
                throw new TapIOException("read from " + what, err);
            }
            if (timeoutMillis == NO_WAIT) {
                return -1;
            }
            if (again) {
                // the next frame is often queued within one system call's time; a reader that
                // sleeps in poll() instead costs the writer a wake-up of another CPU per frame
                again = false;
                continue;
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
            await(write, wait, what);
        }
    }

    /** One read(2) or write(2), repeated on EINTR: the byte count, or minus the errno. */
    private long syscall(boolean write, long address, int len) {
        while (true) {
            long n = write ? LibC.write(fd, address, len) : LibC.read(fd, address, len);
            if (n >= 0) {
                return n;
            }
            int err = LibC.errno();
            if (err != Errno.EINTR.code()) {
                return -err;
            }
        }
    }

    /** Waits for the fd; returns on readiness or timeout, throws once the fd is closing. */
    private void await(boolean write, int timeoutMillis, String what) throws IOException {
        switch (wakeable.await(write, timeoutMillis)) {
            case WakeableFd.WOKEN:
                throw new AsynchronousCloseException();
            case WakeableFd.FAILED:
                throw new TapIOException("poll " + what, LibC.errno());
            default:
                break;
        }
    }

    /**
     * Wakes every thread waiting on this fd, waits until none is using it, then closes it. Safe
     * from any thread, idempotent. A thread that closes while it is itself inside a read would
     * wait forever, so readers never call it.
     */
    void close() {
        wakeable.close();
        LOG.log(System.Logger.Level.TRACE, "closed tun fd {0}", fd);
    }
}
