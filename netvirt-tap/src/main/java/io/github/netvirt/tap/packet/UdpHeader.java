package io.github.netvirt.tap.packet;

import java.nio.ByteBuffer;

/** A reusable view of a UDP header. */
public final class UdpHeader {
    public static final int LENGTH = 8;

    private ByteBuffer buf;
    private int offset;

    public UdpHeader wrap(ByteBuffer buf, int offset) {
        Bytes.need(buf, offset, LENGTH, "a UDP header");
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

    /** Header plus payload, in bytes. */
    public int length() {
        return Bytes.u16(buf, offset + 4);
    }

    public int checksum() {
        return Bytes.u16(buf, offset + 6);
    }

    public int payloadOffset() {
        return offset + LENGTH;
    }

    @Override
    public String toString() {
        return buf == null
                ? "UdpHeader[unwrapped]"
                : "UDP[" + sourcePort() + " > " + destinationPort() + ", len " + length() + "]";
    }
}
