package io.github.netvirt.tap.packet;

import io.github.netvirt.netlink.MacAddress;
import java.nio.ByteBuffer;

/**
 * A reusable view of an Ethernet II header (and up to two VLAN tags) in a buffer: wrap, read,
 * wrap the next frame. Reads absolute offsets, never moves the buffer's position, allocates nothing.
 */
public final class EthernetHeader {
    public static final int LENGTH = 14;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_IPV6 = 0x86dd;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_QINQ = 0x88a8;

    private ByteBuffer buf;
    private int offset;

    /** Views the header at {@code offset}; the buffer's limit must cover it. */
    public EthernetHeader wrap(ByteBuffer buf, int offset) {
        Bytes.need(buf, offset, LENGTH, "an Ethernet header");
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    public int offset() {
        return offset;
    }

    public long destination() {
        return Bytes.u48(buf, offset);
    }

    public long source() {
        return Bytes.u48(buf, offset + 6);
    }

    public boolean isBroadcast() {
        return destination() == MacAddress.BROADCAST.bits();
    }

    public boolean isMulticast() {
        return (Bytes.u8(buf, offset) & 1) != 0;
    }

    /** The EtherType after any VLAN tags (0x0800 IPv4, 0x0806 ARP, 0x86dd IPv6...). */
    public int etherType() {
        int o = offset + 12;
        int t = Bytes.u16(buf, o);
        for (int tags = 0; tags < 2 && (t == TYPE_VLAN || t == TYPE_QINQ) && o + 6 <= buf.limit(); tags++) {
            o += 4;
            t = Bytes.u16(buf, o);
        }
        return t;
    }

    /** The (outer) VLAN id, or -1 for an untagged frame. */
    public int vlanId() {
        int t = Bytes.u16(buf, offset + 12);
        if ((t != TYPE_VLAN && t != TYPE_QINQ) || offset + 16 > buf.limit()) {
            return -1;
        }
        return Bytes.u16(buf, offset + 14) & 0x0fff;
    }

    /** Where the payload starts: after the header and any VLAN tags. */
    public int payloadOffset() {
        int o = offset + 12;
        int t = Bytes.u16(buf, o);
        for (int tags = 0; tags < 2 && (t == TYPE_VLAN || t == TYPE_QINQ) && o + 6 <= buf.limit(); tags++) {
            o += 4;
            t = Bytes.u16(buf, o);
        }
        return o + 2;
    }

    /** Writes an untagged header at {@code offset}. */
    public static void write(ByteBuffer b, int offset, long destination, long source, int etherType) {
        Bytes.need(b, offset, LENGTH, "an Ethernet header");
        Bytes.put48(b, offset, destination);
        Bytes.put48(b, offset + 6, source);
        Bytes.put16(b, offset + 12, etherType);
    }

    @Override
    public String toString() {
        return buf == null
                ? "EthernetHeader[unwrapped]"
                : String.format(
                        "Ethernet[%s > %s, type 0x%04x]",
                        new MacAddress(source()), new MacAddress(destination()), etherType());
    }
}
