package io.github.netvirt.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers of one size, shared by handles over time. A fresh 64 KiB direct buffer costs
 * hundreds of microseconds (malloc, page faults, zeroing): more than a whole netlink exchange.
 * Handles take their buffers here when they open and give them back when they close. One pool per
 * size, so that a buffer given back is found again by the next handle that needs its size.
 * Thread-safe.
 */
final class BufferPool {
    /** The receive buffers of netlink sockets. */
    static final BufferPool RECEIVE = new BufferPool(NetlinkSocket.RECV_BUFFER, 32);
    /** The buffers exchanges encode their requests in. */
    static final BufferPool REQUESTS = new BufferPool(Exchange.REQUEST_BUFFER, 32);

    private final int capacity;
    private final int maxPooled;
    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    BufferPool(int capacity, int maxPooled) {
        this.capacity = capacity;
        this.maxPooled = maxPooled;
    }

    /** A cleared direct buffer in native byte order with at least this pool's capacity. */
    ByteBuffer take() {
        ByteBuffer b = free.poll();
        if (b == null) {
            return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
        }
        size.decrementAndGet();
        b.clear();
        return b;
    }

    /**
     * Returns {@code b}, taken from this pool (or grown from one of its buffers); the caller must
     * not touch it afterwards.
     */
    void give(ByteBuffer b) {
        if (b == null || !b.isDirect() || b.capacity() < capacity) {
            return;
        }
        if (size.incrementAndGet() > maxPooled) {
            size.decrementAndGet();
            return; // let the GC free it
        }
        free.add(b);
    }
}
