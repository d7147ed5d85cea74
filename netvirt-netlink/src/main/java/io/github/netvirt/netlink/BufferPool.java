package io.github.netvirt.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct buffers shared by handles over time. A fresh 64 KiB direct buffer costs hundreds of
 * microseconds (malloc, page faults, zeroing): more than a whole netlink exchange. Handles take
 * their buffers here when they open and give them back when they close.
 */
final class BufferPool {
    private static final int MAX_POOLED = 32;
    private static final ConcurrentLinkedQueue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger SIZE = new AtomicInteger();

    private BufferPool() {}

    /** A cleared direct buffer in native byte order with at least {@code capacity} bytes. */
    static ByteBuffer take(int capacity) {
        for (int tries = 0; tries < 4; tries++) {
            ByteBuffer b = FREE.poll();
            if (b == null) {
                break;
            }
            SIZE.decrementAndGet();
            if (b.capacity() >= capacity) {
                b.clear();
                return b;
            }
            give(b); // too small for this use: keep it for another
            break;
        }
        return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    }

    /** Returns {@code b}; the caller must not touch it afterwards. */
    static void give(ByteBuffer b) {
        if (b == null || !b.isDirect()) {
            return;
        }
        if (SIZE.incrementAndGet() > MAX_POOLED) {
            SIZE.decrementAndGet();
            return; // let the GC free it
        }
        FREE.add(b);
    }
}
