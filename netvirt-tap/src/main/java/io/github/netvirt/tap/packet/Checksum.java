package io.github.netvirt.tap.packet;

import java.nio.ByteBuffer;

/** The Internet checksum (RFC 1071): one's complement of the one's-complement sum of 16-bit words. */
public final class Checksum {
    private Checksum() {}

    /** The checksum of {@code length} bytes at {@code offset} (a trailing odd byte is padded with zero). */
    public static int internet(ByteBuffer b, int offset, int length) {
        return fold(sum(b, offset, length, 0));
    }

    /** Adds {@code length} bytes at {@code offset} to a running 32-bit sum (for pseudo-headers). */
    public static int sum(ByteBuffer b, int offset, int length, int initial) {
        long s = initial & 0xffffffffL;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            s += Bytes.u16(b, i);
        }
        if (i < end) {
            s += Bytes.u8(b, i) << 8;
        }
        while ((s >>> 32) != 0) {
            s = (s & 0xffffffffL) + (s >>> 32);
        }
        return (int) s;
    }

    /** Folds a running sum into the 16-bit checksum field's value. */
    public static int fold(int sum) {
        long s = sum & 0xffffffffL;
        while ((s >>> 16) != 0) {
            s = (s & 0xffff) + (s >>> 16);
        }
        return (int) (~s & 0xffff);
    }
}
