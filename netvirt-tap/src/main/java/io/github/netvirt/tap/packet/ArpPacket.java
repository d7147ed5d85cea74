package io.github.netvirt.tap.packet;

import io.github.netvirt.netlink.MacAddress;
import java.nio.ByteBuffer;

/** A reusable view of an ARP packet for IPv4 over Ethernet (28 bytes after the Ethernet header). */
public final class ArpPacket {
    public static final int LENGTH = 28;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    private ByteBuffer buf;
    private int offset;

    public ArpPacket wrap(ByteBuffer buf, int offset) {
        Bytes.need(buf, offset, LENGTH, "an ARP packet");
        this.buf = buf;
        this.offset = offset;
        return this;
    }

    /** 1 for Ethernet. */
    public int hardwareType() {
        return Bytes.u16(buf, offset);
    }

    /** 0x0800 for IPv4. */
    public int protocolType() {
        return Bytes.u16(buf, offset + 2);
    }

    /** True for Ethernet/IPv4 ARP, the only kind whose addresses this view reads correctly. */
    public boolean isEthernetIpv4() {
        return hardwareType() == 1
                && protocolType() == EthernetHeader.TYPE_IPV4
                && Bytes.u8(buf, offset + 4) == 6
                && Bytes.u8(buf, offset + 5) == 4;
    }

    /** {@link #REQUEST} or {@link #REPLY}. */
    public int operation() {
        return Bytes.u16(buf, offset + 6);
    }

    public long senderMac() {
        return Bytes.u48(buf, offset + 8);
    }

    public int senderIp() {
        return Bytes.i32(buf, offset + 14);
    }

    public long targetMac() {
        return Bytes.u48(buf, offset + 18);
    }

    public int targetIp() {
        return Bytes.i32(buf, offset + 24);
    }

    @Override
    public String toString() {
        return buf == null
                ? "ArpPacket[unwrapped]"
                : String.format(
                        "ARP[%s %s/%s -> %s/%s]",
                        operation() == REQUEST ? "request" : operation() == REPLY ? "reply" : "op " + operation(),
                        new MacAddress(senderMac()),
                        Ipv4Address.format(senderIp()),
                        new MacAddress(targetMac()),
                        Ipv4Address.format(targetIp()));
    }
}
