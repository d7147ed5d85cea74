package io.github.netvirt.tap.packet;

import java.nio.ByteBuffer;

/** Network-order reads and writes at absolute offsets, whatever the buffer's byte order. */
final class Bytes {
    private Bytes() {}

    static int u8(ByteBuffer b, int o) {
        return b.get(o) & 0xff;
    }

    static int u16(ByteBuffer b, int o) {
        return (b.get(o) & 0xff) << 8 | (b.get(o + 1) & 0xff);
    }

    static int i32(ByteBuffer b, int o) {
        return (b.get(o) & 0xff) << 24
                | (b.get(o + 1) & 0xff) << 16
                | (b.get(o + 2) & 0xff) << 8
                | (b.get(o + 3) & 0xff);
    }

    static long u48(ByteBuffer b, int o) {
        return (long) u16(b, o) << 32 | (i32(b, o + 2) & 0xffffffffL);
    }

    static void put16(ByteBuffer b, int o, int v) {
        b.put(o, (byte) (v >>> 8));
        b.put(o + 1, (byte) v);
    }

    static void put32(ByteBuffer b, int o, int v) {
        b.put(o, (byte) (v >>> 24));
        b.put(o + 1, (byte) (v >>> 16));
        b.put(o + 2, (byte) (v >>> 8));
        b.put(o + 3, (byte) v);
    }

    static void put48(ByteBuffer b, int o, long v) {
        put16(b, o, (int) (v >>> 32));
        put32(b, o + 2, (int) v);
    }

    static void need(ByteBuffer b, int offset, int length, String what) {
        if (offset < 0 || length < 0 || offset + length > b.limit()) {
            throw new IllegalArgumentException(
                    what + " needs " + length + " bytes at offset " + offset + ", the buffer's limit is " + b.limit());
        }
    }
}
