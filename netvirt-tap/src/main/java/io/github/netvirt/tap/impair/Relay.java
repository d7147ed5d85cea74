package io.github.netvirt.tap.impair;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.Await;
import io.github.netvirt.tap.TapDevice;
import io.github.netvirt.tap.TapTimeoutException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of an impaired link: a reader thread takes frames from one TAP, asks the
 * {@link Impairer} what to do and queues them by release time; a writer thread writes them to the
 * other TAP when their time comes. Buffers are pooled.
 */
final class Relay {
    /**
     * A held-back (reordered) frame waits for the next frame of its direction, but on an idle link
     * at most this long. Only this timeout depends on timing: a replay is exact unless a gap this
     * long follows a held frame ({@link RelayStats#holdTimeouts()} counts them).
     */
    static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    static final int MAX_IN_FLIGHT = 10_000;
    static final int MAX_LOG = 1_000_000;

    private static final class Frame {
        byte[] buf = new byte[2048];
        int len;
        long release;
        long seq;
    }

    private final String label;
    private final TapDevice in;
    private final TapDevice out;
    final Impairer impairer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final PriorityQueue<Frame> queue = new PriorityQueue<>(
            (x, y) -> x.release != y.release ? Long.compare(x.release, y.release) : Long.compare(x.seq, y.seq));
    private final ArrayDeque<Frame> pool = new ArrayDeque<>();
    private final List<Verdict> log = new ArrayList<>();
    private long seq;
    private int inFlight;
    /** The reordered frame waiting for its successor (reader thread only). */
    private Frame held;

    private long heldDeadline;
    private volatile boolean stopping;

    private long received;
    private long unimpaired;
    private long dropped;
    private long duplicated;
    private long reordered;
    private long holdTimeouts;
    private long delivered;
    private long overflow;
    private long writeErrors;

    private final Thread reader;
    private final Thread writer;

    Relay(String label, TapDevice in, TapDevice out, Impairer impairer) {
        this.label = label;
        this.in = in;
        this.out = out;
        this.impairer = impairer;
        this.reader = NetNamespace.jvmThread(this::readLoop, "netvirt-impair-" + label + "-in");
        this.writer = NetNamespace.jvmThread(this::writeLoop, "netvirt-impair-" + label + "-out");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    void start() {
        writer.start();
        reader.start();
    }

    /**
     * Tells both threads to stop: the writer at once, the reader when its device is closed (which
     * wakes it from its read) or its next frame comes. See {@link #join()}.
     */
    void stop() {
        stopping = true;
        lock.lock();
        try {
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits for both threads to end, after {@link #stop()}. */
    /** Waits for both threads to end, through interrupts (the caller's status is kept). */
    void join() {
        Await.join(reader);
        Await.join(writer);
    }

    List<Verdict> verdicts() {
        lock.lock();
        try {
            return List.copyOf(log);
        } finally {
            lock.unlock();
        }
    }

    RelayStats stats() {
        lock.lock();
        try {
            return new RelayStats(
                    received,
                    unimpaired,
                    dropped,
                    duplicated,
                    reordered,
                    holdTimeouts,
                    delivered,
                    overflow,
                    writeErrors);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether the impairment applies: IPv4 and IPv6 frames to a unicast MAC, but IPv6 neighbour
     * discovery. The rest is the link's own housekeeping (ARP, IPv6 neighbour discovery and MLD, IGMP:
     * broadcast or multicast, and unicast neighbour solicitations and advertisements, which the
     * kernel's reachability timers send as ARP's unicast probes go) and passes untouched, so that the
     * kernel's timers cannot shift the seeded decisions of the traffic under test.
     */
    static boolean isImpaired(byte[] f, int len) {
        if (len < 14 || (f[0] & 1) != 0) {
            return false;
        }
        int type = ((f[12] & 0xff) << 8) | (f[13] & 0xff);
        if (type == 0x86dd) {
            return !isNeighbourDiscovery(f, len);
        }
        return type == 0x0800;
    }

    /**
     * An ICMPv6 router or neighbour solicitation or advertisement, or a redirect (types 133 to 137):
     * next header 58 right after the fixed IPv6 header, as RFC 4861 sends them (no extension header).
     */
    private static boolean isNeighbourDiscovery(byte[] f, int len) {
        if (len < 14 + 40 + 1 || f[14 + 6] != 58) {
            return false;
        }
        int icmpType = f[14 + 40] & 0xff;
        return icmpType >= 133 && icmpType <= 137;
    }

    private void readLoop() {
        byte[] scratch = new byte[TapDevice.MAX_FRAME];
        long timeoutMillis = 0; // the input's read timeout: 0 waits for ever
        while (!stopping) {
            long wait =
                    held == null ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(heldDeadline - System.nanoTime()) + 1);
            if (wait != timeoutMillis) {
                in.setReadTimeout(Duration.ofMillis(wait));
                timeoutMillis = wait;
            }
            int len;
            try {
                len = in.read(scratch, 0, scratch.length);
            } catch (TapTimeoutException e) {
                len = -1; // only while a frame is held: its time is up
            } catch (IOException e) {
                break; // closed (the relay stops), or the device is gone
            }
            if (stopping) {
                break;
            }
            long now = System.nanoTime();
            // a frame read past the deadline may have waited in the device while this thread did not
            // run: only a read that found none, or housekeeping that never lets a hold go, ends the hold
            if (held != null && now - heldDeadline >= 0 && (len < 0 || !isImpaired(scratch, len))) {
                lock.lock();
                try {
                    holdTimeouts++;
                    enqueueLocked(held);
                } finally {
                    lock.unlock();
                }
                held = null;
                impairer.release();
            }
            if (len < 0) {
                continue;
            }
            int direct = admit(scratch, len, now);
            for (int k = 0; k < direct; k++) {
                // only this thread writes while nothing is in flight, so this cannot overtake a queued frame
                boolean written = write(scratch, len);
                lock.lock();
                try {
                    count(written);
                } finally {
                    lock.unlock();
                }
            }
        }
        if (held != null) {
            enqueue(held);
            held = null;
            impairer.release();
        }
    }

    /** Counts a frame written or refused; the caller holds {@code lock}. */
    private void count(boolean written) {
        if (written) {
            delivered++;
        } else {
            writeErrors++;
        }
    }

    /** Writes one frame to the output device; false if the kernel refused it or the device is closed. */
    private boolean write(byte[] frame, int len) {
        try {
            out.write(frame, 0, len);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Decides the fate of one frame read into {@code scratch}: queued (copied) by release time,
     * held back, dropped, or (when nothing is queued and it is not delayed) to be written at once by
     * the reader: returns how many times to write it directly (0, 1, or 2 when duplicated).
     */
    private int admit(byte[] scratch, int len, long now) {
        lock.lock();
        try {
            received++;
            if (!isImpaired(scratch, len)) {
                unimpaired++;
                if (inFlight == 0 && held == null) {
                    return 1;
                }
                Frame f = frame(scratch, len, now);
                if (f != null) {
                    enqueueLocked(f);
                }
                return 0;
            }
            Verdict v = impairer.next();
            if (log.size() < MAX_LOG) {
                log.add(v);
            }
            if (v.dropped()) {
                dropped++;
                return 0;
            }
            if (v.delayNanos() == 0 && !v.reordered() && inFlight == 0 && held == null) {
                // cut through: no copy, no hand-off to the writer thread
                if (v.duplicated()) {
                    duplicated++;
                    return 2;
                }
                return 1;
            }
            Frame f = frame(scratch, len, now + v.delayNanos());
            if (f != null && v.duplicated()) {
                Frame copy = frame(scratch, len, f.release);
                if (copy != null) {
                    duplicated++;
                    enqueueLocked(copy);
                }
            }
            if (held != null) {
                // the impairer did not reorder this frame: it lets the held one go, right after it
                if (f != null) {
                    enqueueLocked(f);
                    held.release = Math.max(held.release, f.release);
                }
                enqueueLocked(held);
                held = null;
            } else if (f == null) {
                if (v.reordered()) {
                    impairer.release(); // lost to overflow: nothing is held back
                }
            } else if (v.reordered()) {
                reordered++;
                held = f;
                heldDeadline = now + HOLD_NANOS;
            } else {
                enqueueLocked(f);
            }
            return 0;
        } finally {
            lock.unlock();
        }
    }

    /** A pooled frame holding a copy of {@code src}, or null (counted) when too many are in flight. Lock held. */
    private Frame frame(byte[] src, int len, long release) {
        if (inFlight >= MAX_IN_FLIGHT) {
            overflow++;
            return null;
        }
        Frame f = pool.poll();
        if (f == null) {
            f = new Frame();
        }
        if (f.buf.length < len) {
            f.buf = new byte[len];
        }
        System.arraycopy(src, 0, f.buf, 0, len);
        f.len = len;
        f.release = release;
        inFlight++;
        return f;
    }

    private void enqueue(Frame f) {
        lock.lock();
        try {
            enqueueLocked(f);
        } finally {
            lock.unlock();
        }
    }

    private void enqueueLocked(Frame f) {
        f.seq = seq++;
        queue.add(f);
        ready.signal();
    }

    private void writeLoop() {
        while (true) {
            Frame f;
            lock.lock();
            try {
                while (true) {
                    if (stopping) {
                        return;
                    }
                    Frame head = queue.peek();
                    long wait = head == null ? Long.MAX_VALUE : head.release - System.nanoTime();
                    if (head != null && wait <= 0) {
                        f = queue.poll();
                        break;
                    }
                    try {
                        if (head == null) {
                            ready.await();
                        } else {
                            ready.awaitNanos(wait);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            } finally {
                lock.unlock();
            }
            boolean written = write(f.buf, f.len);
            lock.lock();
            try {
                count(written);
                inFlight--;
                pool.push(f);
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "Relay[" + label + "]";
    }
}
