package io.github.netvirt.tap.packet;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes ICMP echo frames (Ethernet + IPv4 + ICMP, both checksums computed) at a buffer's position
 * and advances it. The IPv4 header has TTL 64, don't-fragment set, and the sequence as its id.
 */
public final class IcmpEchoBuilder {
    public static final int HEADERS = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH + IcmpHeader.LENGTH;

    private IcmpEchoBuilder() {}

    /** An echo request carrying {@code payload[off..off+len)}; returns the frame's length. */
    public static int request(
            ByteBuffer dst,
            long srcMac,
            long dstMac,
            int srcIp,
            int dstIp,
            int identifier,
            int sequence,
            byte[] payload,
            int off,
            int len) {
        return write(
                dst, IcmpHeader.ECHO_REQUEST, srcMac, dstMac, srcIp, dstIp, identifier, sequence, payload, off, len);
    }

    /** An echo reply carrying {@code payload[off..off+len)}; returns the frame's length. */
    public static int reply(
            ByteBuffer dst,
            long srcMac,
            long dstMac,
            int srcIp,
            int dstIp,
            int identifier,
            int sequence,
            byte[] payload,
            int off,
            int len) {
        return write(dst, IcmpHeader.ECHO_REPLY, srcMac, dstMac, srcIp, dstIp, identifier, sequence, payload, off, len);
    }

    private static int write(
            ByteBuffer b,
            int type,
            long srcMac,
            long dstMac,
            int srcIp,
            int dstIp,
            int identifier,
            int sequence,
            byte[] payload,
            int off,
            int len) {
        Objects.checkFromIndexSize(off, len, payload.length);
        if ((identifier & ~0xffff) != 0 || (sequence & ~0xffff) != 0) {
            throw new IllegalArgumentException(
                    "ICMP identifier and sequence are 16-bit values, got " + identifier + " and " + sequence);
        }
        int total = HEADERS + len;
        if (b.remaining() < total) {
            throw new IllegalArgumentException("an ICMP echo frame with " + len + " payload bytes needs " + total
                    + " bytes, the buffer has " + b.remaining());
        }
        int o = b.position();
        EthernetHeader.write(b, o, dstMac, srcMac, EthernetHeader.TYPE_IPV4);
        int ip = o + EthernetHeader.LENGTH;
        Ipv4Header.write(b, ip, IcmpHeader.LENGTH + len, sequence, 64, Ipv4Header.PROTO_ICMP, srcIp, dstIp);
        int ic = ip + Ipv4Header.MIN_LENGTH;
        b.put(ic, (byte) type);
        b.put(ic + 1, (byte) 0);
        Bytes.put16(b, ic + 2, 0);
        Bytes.put16(b, ic + 4, identifier);
        Bytes.put16(b, ic + 6, sequence);
        b.put(ic + IcmpHeader.LENGTH, payload, off, len);
        Bytes.put16(b, ic + 2, Checksum.internet(b, ic, IcmpHeader.LENGTH + len));
        b.position(o + total);
        return total;
    }
}
