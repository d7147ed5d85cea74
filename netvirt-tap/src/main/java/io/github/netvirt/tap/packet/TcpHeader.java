package io.github.netvirt.tap.packet;

import java.nio.ByteBuffer;

/** A reusable view of a TCP header: ports, sequence numbers, flags. */
public final class TcpHeader {
    public static final int MIN_LENGTH = 20;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    private ByteBuffer buf;
    private int offset;

    public TcpHeader wrap(ByteBuffer buf, int offset) {
        Bytes.need(buf, offset, MIN_LENGTH, "a TCP header");
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int sourcePort() {
        return Bytes.u16(buf, offset);
    }

    public int destinationPort() {
        return Bytes.u16(buf, offset + 2);
    }

    /** Unsigned 32-bit value. */
    public long sequence() {
        return Bytes.i32(buf, offset + 4) & 0xffffffffL;
    }

    public long acknowledgment() {
        return Bytes.i32(buf, offset + 8) & 0xffffffffL;
    }

    public int headerLength() {
        return (Bytes.u8(buf, offset + 12) >> 4) * 4;
    }

    /** FIN, SYN, RST, PSH, ACK, URG... as bits. */
    public int flags() {
        return Bytes.u8(buf, offset + 13);
    }

    public boolean has(int flag) {
        return (flags() & flag) == flag;
    }

    public int window() {
        return Bytes.u16(buf, offset + 14);
    }

    public int payloadOffset() {
        return offset + headerLength();
    }

    @Override
    public String toString() {
        return buf == null
                ? "TcpHeader[unwrapped]"
                : String.format(
                        "TCP[%d > %d, flags 0x%02x, seq %d]", sourcePort(), destinationPort(), flags(), sequence());
    }
}
