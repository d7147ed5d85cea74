package io.github.netvirt.tap.packet;

import java.nio.ByteBuffer;

/** A reusable view of an ICMP (or ICMPv6) header; identifier and sequence are those of echo messages. */
public final class IcmpHeader {
    public static final int LENGTH = 8;
    public static final int ECHO_REPLY = 0;
    public static final int ECHO_REQUEST = 8;
    public static final int V6_ECHO_REQUEST = 128;
    public static final int V6_ECHO_REPLY = 129;

    private ByteBuffer buf;
    private int offset;

    public IcmpHeader wrap(ByteBuffer buf, int offset) {
        Bytes.need(buf, offset, LENGTH, "an ICMP header");
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public int type() {
        return Bytes.u8(buf, offset);
    }

    public int code() {
        return Bytes.u8(buf, offset + 1);
    }

    public int checksum() {
        return Bytes.u16(buf, offset + 2);
    }

    /** For ICMPv4: the checksum over the {@code length} bytes of the message verifies. */
    public boolean checksumValid(int length) {
        return offset + length <= buf.limit() && Checksum.internet(buf, offset, length) == 0;
    }

    public int identifier() {
        return Bytes.u16(buf, offset + 4);
    }

    public int sequence() {
        return Bytes.u16(buf, offset + 6);
    }

    public int payloadOffset() {
        return offset + LENGTH;
    }

    @Override
    public String toString() {
        return buf == null
                ? "IcmpHeader[unwrapped]"
                : "ICMP[type " + type() + ", code " + code() + ", id " + identifier() + ", seq " + sequence() + "]";
    }
}
