package io.github.netvirt.netlink.codec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The attributes of one block (a message's or a nest's), validated on parse: each {@code nla_len}
 * must be at least 4 and fit in what is left. Lookups by type ({@code NLA_F_NESTED} and byte-order
 * bits masked off) return the last occurrence; accessors check the payload size for their type.
 */
public final class NlAttrs {
    private static final int MAX_TYPE = 128;

    private final ByteBuffer buf;
    /** Payload offset per type, -1 when absent; types above {@link #MAX_TYPE} are ignored. */
    private final int[] offsets;

    private final int[] lengths;

    private NlAttrs(ByteBuffer buf, int[] offsets, int[] lengths) {
        this.buf = buf;
        this.offsets = offsets;
        this.lengths = lengths;
    }

    /** Parses the attributes in {@code buf[from, to)}. */
    public static NlAttrs parse(ByteBuffer buf, int from, int to) {
        if (from < 0 || to > buf.capacity() || from > to) {
            throw new MalformedMessageException("attribute block [" + from + ", " + to + ") out of range");
        }
        int[] offsets = new int[MAX_TYPE];
        int[] lengths = new int[MAX_TYPE];
        Arrays.fill(offsets, -1);
        int pos = from;
        while (to - pos >= Nl.NLA_HDRLEN) {
            int len = Short.toUnsignedInt(buf.getShort(pos));
            int type = Short.toUnsignedInt(buf.getShort(pos + 2)) & Nl.NLA_TYPE_MASK;
            if (len < Nl.NLA_HDRLEN) {
                throw new MalformedMessageException(
                        "attribute " + type + " at offset " + pos + " has nla_len " + len + " (< 4)");
            }
            if (len > to - pos) {
                throw new MalformedMessageException("attribute " + type + " at offset " + pos + " has nla_len " + len
                        + " but only " + (to - pos) + " bytes are left");
            }
            if (type < MAX_TYPE) {
                offsets[type] = pos + Nl.NLA_HDRLEN;
                lengths[type] = len - Nl.NLA_HDRLEN;
            }
            pos += Nl.align(len);
        }
        if (pos < to) {
            throw new MalformedMessageException((to - pos) + " trailing bytes after the attributes at offset " + pos);
        }
        return new NlAttrs(buf, offsets, lengths);
    }

    public boolean has(int type) {
        return type >= 0 && type < MAX_TYPE && offsets[type] >= 0;
    }

    /** Payload length of {@code type}, -1 when absent. */
    public int length(int type) {
        return has(type) ? lengths[type] : -1;
    }

    private int at(int type, int size) {
        if (!has(type)) {
            throw new MalformedMessageException("attribute " + type + " is missing");
        }
        if (lengths[type] < size) {
            throw new MalformedMessageException(
                    "attribute " + type + " has " + lengths[type] + " bytes, needs " + size);
        }
        return offsets[type];
    }

    public int u8(int type) {
        return Byte.toUnsignedInt(buf.get(at(type, 1)));
    }

    public int u16(int type) {
        return Short.toUnsignedInt(buf.getShort(at(type, 2)));
    }

    /** A 16-bit value in network byte order. */
    public int be16(int type) {
        int o = at(type, 2);
        return (Byte.toUnsignedInt(buf.get(o)) << 8) | Byte.toUnsignedInt(buf.get(o + 1));
    }

    /** A 32-bit value in network byte order. */
    public int be32(int type) {
        return readBe32(at(type, 4));
    }

    /** A 64-bit value in network byte order. */
    public long be64(int type) {
        int o = at(type, 8);
        return ((long) readBe32(o) << 32) | (readBe32(o + 4) & 0xffffffffL);
    }

    private int readBe32(int o) {
        return (Byte.toUnsignedInt(buf.get(o)) << 24)
                | (Byte.toUnsignedInt(buf.get(o + 1)) << 16)
                | (Byte.toUnsignedInt(buf.get(o + 2)) << 8)
                | Byte.toUnsignedInt(buf.get(o + 3));
    }

    public int u32(int type) {
        return buf.getInt(at(type, 4));
    }

    public long u64(int type) {
        return buf.getLong(at(type, 8));
    }

    public int u8(int type, int dflt) {
        return has(type) ? u8(type) : dflt;
    }

    public int u32(int type, int dflt) {
        return has(type) ? u32(type) : dflt;
    }

    public byte[] bytes(int type) {
        int o = at(type, 0);
        byte[] b = new byte[lengths[type]];
        buf.get(o, b);
        return b;
    }

    /** A string attribute, up to its first NUL (or its end if it has none). */
    public String string(int type) {
        int o = at(type, 0);
        int n = 0;
        while (n < lengths[type] && buf.get(o + n) != 0) {
            n++;
        }
        byte[] b = new byte[n];
        buf.get(o, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public String string(int type, String dflt) {
        return has(type) ? string(type) : dflt;
    }

    /** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
    public InetAddress address(int type) {
        int len = length(type);
        if (len != 4 && len != 16) {
            throw new MalformedMessageException("attribute " + type + " is not an IP address (" + len + " bytes)");
        }
        try {
            return InetAddress.getByAddress(bytes(type));
        } catch (UnknownHostException e) {
            throw new MalformedMessageException(e.getMessage());
        }
    }

    /** The attributes nested in {@code type}. */
    public NlAttrs nested(int type) {
        int o = at(type, 0);
        return parse(buf, o, o + lengths[type]);
    }

    /** Offset of {@code type}'s payload in the buffer (for fixed structs inside an attribute). */
    public int payloadOffset(int type, int minSize) {
        return at(type, minSize);
    }

    public ByteBuffer buffer() {
        return buf;
    }
}
