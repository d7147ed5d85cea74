package io.github.netvirt.tap.packet;

import java.nio.ByteBuffer;

/** A reusable view of an IPv4 header (20 bytes plus options). */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_ICMPV6 = 58;

    private ByteBuffer buf;
    private int offset;

    /** Views the header at {@code offset}; checks that the version is 4 and the header fits. */
    public Ipv4Header wrap(ByteBuffer buf, int offset) {
        Bytes.need(buf, offset, MIN_LENGTH, "an IPv4 header");
        int b0 = Bytes.u8(buf, offset);
        if (b0 >> 4 != 4) {
            throw new IllegalArgumentException("not IPv4: version " + (b0 >> 4) + " at offset " + offset);
        }
        int hl = (b0 & 15) * 4;
        if (hl < MIN_LENGTH) {
            throw new IllegalArgumentException("IPv4 header length " + hl + " is below 20");
        }
        Bytes.need(buf, offset, hl, "an IPv4 header with options");
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int headerLength() {
        return (Bytes.u8(buf, offset) & 15) * 4;
    }

    public int tos() {
        return Bytes.u8(buf, offset + 1);
    }

    public int totalLength() {
        return Bytes.u16(buf, offset + 2);
    }

    public int identification() {
        return Bytes.u16(buf, offset + 4);
    }

    public boolean dontFragment() {
        return (Bytes.u8(buf, offset + 6) & 0x40) != 0;
    }

    public boolean moreFragments() {
        return (Bytes.u8(buf, offset + 6) & 0x20) != 0;
    }

    /** In bytes. */
    public int fragmentOffset() {
        return (Bytes.u16(buf, offset + 6) & 0x1fff) * 8;
    }

    public int ttl() {
        return Bytes.u8(buf, offset + 8);
    }

    /** 1 ICMP, 6 TCP, 17 UDP... */
    public int protocol() {
        return Bytes.u8(buf, offset + 9);
    }

    public int checksum() {
        return Bytes.u16(buf, offset + 10);
    }

    public boolean checksumValid() {
        return Checksum.internet(buf, offset, headerLength()) == 0;
    }

    public int source() {
        return Bytes.i32(buf, offset + 12);
    }

    public int destination() {
        return Bytes.i32(buf, offset + 16);
    }

    public int payloadOffset() {
        return offset + headerLength();
    }

    public int payloadLength() {
        return totalLength() - headerLength();
    }

    /** Writes a 20-byte header without options, its checksum included. */
    public static void write(
            ByteBuffer b,
            int offset,
            int payloadLength,
            int identification,
            int ttl,
            int protocol,
            int source,
            int destination) {
        Bytes.need(b, offset, MIN_LENGTH, "an IPv4 header");
        if (payloadLength < 0 || payloadLength > 65535 - MIN_LENGTH) {
            throw new IllegalArgumentException("IPv4 payload of " + payloadLength + " bytes is out of range");
        }
        b.put(offset, (byte) 0x45);
        b.put(offset + 1, (byte) 0);
        Bytes.put16(b, offset + 2, MIN_LENGTH + payloadLength);
        Bytes.put16(b, offset + 4, identification);
        Bytes.put16(b, offset + 6, 0x4000); // don't fragment
        b.put(offset + 8, (byte) ttl);
        b.put(offset + 9, (byte) protocol);
        Bytes.put16(b, offset + 10, 0);
        Bytes.put32(b, offset + 12, source);
        Bytes.put32(b, offset + 16, destination);
        Bytes.put16(b, offset + 10, Checksum.internet(b, offset, MIN_LENGTH));
    }

    @Override
    public String toString() {
        return buf == null
                ? "Ipv4Header[unwrapped]"
                : "IPv4[" + Ipv4Address.format(source()) + " > " + Ipv4Address.format(destination()) + ", proto "
                        + protocol() + ", ttl " + ttl() + ", len " + totalLength() + "]";
    }
}
