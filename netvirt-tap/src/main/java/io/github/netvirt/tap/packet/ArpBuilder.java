package io.github.netvirt.tap.packet;

import io.github.netvirt.netlink.MacAddress;
import java.nio.ByteBuffer;

/**
 * Writes ARP frames (Ethernet + IPv4 ARP, 42 bytes, no padding: a TAP accepts them) at a
 * buffer's position and advances it, as the {@code put} methods of NIO do.
 */
public final class ArpBuilder {
    public static final int FRAME_LENGTH = EthernetHeader.LENGTH + ArpPacket.LENGTH;

    private ArpBuilder() {}

    /** "Who has {@code targetIp}? Tell {@code senderIp}": broadcast, target MAC zero. Returns 42. */
    public static int request(ByteBuffer dst, long senderMac, int senderIp, int targetIp) {
        return write(dst, MacAddress.BROADCAST.bits(), ArpPacket.REQUEST, senderMac, senderIp, 0L, targetIp);
    }

    /** "{@code senderIp} is at {@code senderMac}", sent to {@code targetMac}. Returns 42. */
    public static int reply(ByteBuffer dst, long senderMac, int senderIp, long targetMac, int targetIp) {
        return write(dst, targetMac, ArpPacket.REPLY, senderMac, senderIp, targetMac, targetIp);
    }

    private static int write(ByteBuffer b, long ethDst, int op, long sha, int spa, long tha, int tpa) {
        int o = b.position();
        if (b.remaining() < FRAME_LENGTH) {
            throw new IllegalArgumentException(
                    "an ARP frame needs " + FRAME_LENGTH + " bytes, the buffer has " + b.remaining());
        }
        EthernetHeader.write(b, o, ethDst, sha, EthernetHeader.TYPE_ARP);
        int a = o + EthernetHeader.LENGTH;
        Bytes.put16(b, a, 1);
        Bytes.put16(b, a + 2, EthernetHeader.TYPE_IPV4);
        b.put(a + 4, (byte) 6);
        b.put(a + 5, (byte) 4);
        Bytes.put16(b, a + 6, op);
        Bytes.put48(b, a + 8, sha);
        Bytes.put32(b, a + 14, spa);
        Bytes.put48(b, a + 18, tha);
        Bytes.put32(b, a + 24, tpa);
        b.position(o + FRAME_LENGTH);
        return FRAME_LENGTH;
    }
}
