package io.github.netvirt.tap.packet;

import java.nio.ByteBuffer;

/**
 * Dissects an Ethernet frame into the views a packet tool reads most, without allocating and
 * without throwing on garbage: a layer that is absent, truncated or malformed reports {@code false}.
 *
 * <pre>{@code
 * FrameView v = new FrameView();            // once
 * while (...) {
 *     buf.clear(); tap.read(buf); buf.flip();
 *     if (v.parse(buf) && v.hasIcmp() && v.icmp().type() == IcmpHeader.ECHO_REPLY) { ... }
 * }
 * }</pre>
 */
public final class FrameView {
    private final EthernetHeader ethernet = new EthernetHeader();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Header ipv4 = new Ipv4Header();
    private final Ipv6Header ipv6 = new Ipv6Header();
    private final IcmpHeader icmp = new IcmpHeader();
    private final UdpHeader udp = new UdpHeader();
    private final TcpHeader tcp = new TcpHeader();
    private boolean hasEthernet;
    private boolean hasArp;
    private boolean hasIpv4;
    private boolean hasIpv6;
    private boolean hasIcmp;
    private boolean hasUdp;
    private boolean hasTcp;

    /** Parses the frame from {@code buf}'s position to its limit; false when not even Ethernet. */
    public boolean parse(ByteBuffer buf) {
        hasEthernet = hasArp = hasIpv4 = hasIpv6 = hasIcmp = hasUdp = hasTcp = false;
        int start = buf.position();
        int end = buf.limit();
        if (end - start < EthernetHeader.LENGTH) {
            return false;
        }
        ethernet.wrap(buf, start);
        hasEthernet = true;
        int type = ethernet.etherType();
        int p = ethernet.payloadOffset();
        if (type == EthernetHeader.TYPE_ARP) {
            if (p + ArpPacket.LENGTH <= end) {
                arp.wrap(buf, p);
                hasArp = true;
            }
        } else if (type == EthernetHeader.TYPE_IPV4) {
            if (p + Ipv4Header.MIN_LENGTH <= end
                    && Bytes.u8(buf, p) >> 4 == 4
                    && (Bytes.u8(buf, p) & 15) >= 5
                    && p + (Bytes.u8(buf, p) & 15) * 4 <= end) {
                ipv4.wrap(buf, p);
                hasIpv4 = true;
                if (ipv4.fragmentOffset() == 0) {
                    transport(buf, ipv4.protocol(), ipv4.payloadOffset(), end, Ipv4Header.PROTO_ICMP);
                }
            }
        } else if (type == EthernetHeader.TYPE_IPV6) {
            if (p + Ipv6Header.LENGTH <= end && Bytes.u8(buf, p) >> 4 == 6) {
                ipv6.wrap(buf, p);
                hasIpv6 = true;
                transport(buf, ipv6.nextHeader(), ipv6.payloadOffset(), end, Ipv4Header.PROTO_ICMPV6);
            }
        }
        return true;
    }

    private void transport(ByteBuffer buf, int proto, int at, int end, int icmpProto) {
        if (proto == icmpProto && at + IcmpHeader.LENGTH <= end) {
            icmp.wrap(buf, at);
            hasIcmp = true;
        } else if (proto == Ipv4Header.PROTO_UDP && at + UdpHeader.LENGTH <= end) {
            udp.wrap(buf, at);
            hasUdp = true;
        } else if (proto == Ipv4Header.PROTO_TCP && at + TcpHeader.MIN_LENGTH <= end) {
            tcp.wrap(buf, at);
            hasTcp = true;
        }
    }

    public boolean hasArp() {
        return hasArp;
    }

    public boolean hasIpv4() {
        return hasIpv4;
    }

    public boolean hasIpv6() {
        return hasIpv6;
    }

    /** ICMP over IPv4 or ICMPv6 over IPv6. */
    public boolean hasIcmp() {
        return hasIcmp;
    }

    public boolean hasUdp() {
        return hasUdp;
    }

    public boolean hasTcp() {
        return hasTcp;
    }

    public EthernetHeader ethernet() {
        return present(hasEthernet, ethernet, "Ethernet");
    }

    public ArpPacket arp() {
        return present(hasArp, arp, "ARP");
    }

    public Ipv4Header ipv4() {
        return present(hasIpv4, ipv4, "IPv4");
    }

    public Ipv6Header ipv6() {
        return present(hasIpv6, ipv6, "IPv6");
    }

    public IcmpHeader icmp() {
        return present(hasIcmp, icmp, "ICMP");
    }

    public UdpHeader udp() {
        return present(hasUdp, udp, "UDP");
    }

    public TcpHeader tcp() {
        return present(hasTcp, tcp, "TCP");
    }

    private static <T> T present(boolean has, T view, String what) {
        if (!has) {
            throw new IllegalStateException("the frame has no " + what + " layer");
        }
        return view;
    }
}
