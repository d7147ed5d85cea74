package io.github.netvirt.tap.packet;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * A reusable view of the fixed 40-byte IPv6 header. Addresses are read as two {@code long}s
 * (high and low 64 bits) or copied into a caller's array; extension headers are not walked:
 * {@link #nextHeader()} is the fixed header's field.
 */
public final class Ipv6Header {
    public static final int LENGTH = 40;

    private ByteBuffer buf;
    private int offset;

    public Ipv6Header wrap(ByteBuffer buf, int offset) {
        Bytes.need(buf, offset, LENGTH, "an IPv6 header");
        int v = Bytes.u8(buf, offset) >> 4;
        if (v != 6) {
            throw new IllegalArgumentException("not IPv6: version " + v + " at offset " + offset);
        }
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int trafficClass() {
        return (Bytes.u16(buf, offset) >> 4) & 0xff;
    }

    public int flowLabel() {
        return Bytes.i32(buf, offset) & 0xfffff;
    }

    public int payloadLength() {
        return Bytes.u16(buf, offset + 4);
    }

    /** 58 ICMPv6, 6 TCP, 17 UDP, or an extension header. */
    public int nextHeader() {
        return Bytes.u8(buf, offset + 6);
    }

    public int hopLimit() {
        return Bytes.u8(buf, offset + 7);
    }

    public long sourceHigh() {
        return (long) Bytes.i32(buf, offset + 8) << 32 | (Bytes.i32(buf, offset + 12) & 0xffffffffL);
    }

    public long sourceLow() {
        return (long) Bytes.i32(buf, offset + 16) << 32 | (Bytes.i32(buf, offset + 20) & 0xffffffffL);
    }

    public long destinationHigh() {
        return (long) Bytes.i32(buf, offset + 24) << 32 | (Bytes.i32(buf, offset + 28) & 0xffffffffL);
    }

    public long destinationLow() {
        return (long) Bytes.i32(buf, offset + 32) << 32 | (Bytes.i32(buf, offset + 36) & 0xffffffffL);
    }

    /** Copies the 16 source bytes into {@code to[at..at+16)}. */
    public void copySource(byte[] to, int at) {
        buf.get(offset + 8, to, at, 16);
    }

    public void copyDestination(byte[] to, int at) {
        buf.get(offset + 24, to, at, 16);
    }

    /** The source as an {@link Inet6Address} (allocates; for logs and tests). */
    public Inet6Address sourceAddress() {
        byte[] b = new byte[16];
        copySource(b, 0);
        return inet(b);
    }

    public Inet6Address destinationAddress() {
        byte[] b = new byte[16];
        copyDestination(b, 0);
        return inet(b);
    }

    public int payloadOffset() {
        return offset + LENGTH;
    }

    private static Inet6Address inet(byte[] b) {
        try {
            return (Inet6Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public String toString() {
        return buf == null
                ? "Ipv6Header[unwrapped]"
                : "IPv6[" + sourceAddress().getHostAddress() + " > "
                        + destinationAddress().getHostAddress() + ", next " + nextHeader() + ", hops " + hopLimit()
                        + "]";
    }
}
