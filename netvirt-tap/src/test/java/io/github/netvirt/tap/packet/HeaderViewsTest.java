package io.github.netvirt.tap.packet;

import static io.github.netvirt.tap.packet.ChecksumTest.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.MacAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class HeaderViewsTest {
    // an ARP request: who has 192.168.0.2? tell 192.168.0.1 (00:11:22:33:44:55)
    static final String ARP =
            "ffffffffffff 001122334455 0806 0001 0800 06 04 0001 001122334455 c0a80001" + " 000000000000 c0a80002";
    // Ethernet + IPv4 (Wikipedia's header, UDP) + UDP 1234 > 53, length 8+4
    static final String UDP =
            "0a0b0c0d0e0f 020304050607 0800 45000020000040004011b8b4c0a80001c0a800c7" + " 04d2 0035 000c 0000 deadbeef";
    // Ethernet + IPv6 (2001:db8::1 > 2001:db8::2, TCP) + TCP 443 > 55000, SYN|ACK
    static final String TCP6 = "0a0b0c0d0e0f 020304050607 86dd 6000000000140640"
            + " 20010db8000000000000000000000001 20010db8000000000000000000000002"
            + " 01bb d6d8 00000001 00000002 5012 ffff 0000 0000";

    @Test
    void arpRequest() {
        FrameView v = new FrameView();
        assertThat(v.parse(hex(ARP))).isTrue();
        assertThat(v.ethernet().isBroadcast()).isTrue();
        assertThat(v.ethernet().etherType()).isEqualTo(EthernetHeader.TYPE_ARP);
        assertThat(v.ethernet().vlanId()).isEqualTo(-1);
        assertThat(v.hasArp()).isTrue();
        ArpPacket a = v.arp();
        assertThat(a.isEthernetIpv4()).isTrue();
        assertThat(a.operation()).isEqualTo(ArpPacket.REQUEST);
        assertThat(new MacAddress(a.senderMac()).toString()).isEqualTo("00:11:22:33:44:55");
        assertThat(Ipv4Address.format(a.senderIp())).isEqualTo("192.168.0.1");
        assertThat(a.targetMac()).isZero();
        assertThat(a.targetIp()).isEqualTo(Ipv4Address.parse("192.168.0.2"));
        assertThat(v.hasIpv4()).isFalse();
    }

    @Test
    void ipv4Udp() {
        ByteBuffer b = hex(UDP);
        b.order(ByteOrder.LITTLE_ENDIAN); // the views read network order whatever the buffer's order
        FrameView v = new FrameView();
        assertThat(v.parse(b)).isTrue();
        assertThat(v.ethernet().destination()).isEqualTo(0x0a0b0c0d0e0fL);
        assertThat(v.ethernet().source())
                .isEqualTo(MacAddress.parse("02:03:04:05:06:07").bits());
        Ipv4Header ip = v.ipv4();
        assertThat(ip.headerLength()).isEqualTo(20);
        assertThat(ip.totalLength()).isEqualTo(32);
        assertThat(ip.protocol()).isEqualTo(Ipv4Header.PROTO_UDP);
        assertThat(ip.ttl()).isEqualTo(64);
        assertThat(ip.dontFragment()).isTrue();
        assertThat(ip.checksumValid()).isTrue();
        assertThat(Ipv4Address.format(ip.source())).isEqualTo("192.168.0.1");
        assertThat(Ipv4Address.format(ip.destination())).isEqualTo("192.168.0.199");
        assertThat(v.hasUdp()).isTrue();
        assertThat(v.udp().sourcePort()).isEqualTo(1234);
        assertThat(v.udp().destinationPort()).isEqualTo(53);
        assertThat(v.udp().length()).isEqualTo(12);
        assertThat(v.udp().payloadOffset()).isEqualTo(42);
        assertThat(v.hasTcp()).isFalse();
        assertThat(v.hasIcmp()).isFalse();
    }

    @Test
    void ipv6Tcp() {
        FrameView v = new FrameView();
        assertThat(v.parse(hex(TCP6))).isTrue();
        Ipv6Header ip = v.ipv6();
        assertThat(ip.payloadLength()).isEqualTo(20);
        assertThat(ip.nextHeader()).isEqualTo(Ipv4Header.PROTO_TCP);
        assertThat(ip.hopLimit()).isEqualTo(64);
        assertThat(ip.sourceHigh()).isEqualTo(0x20010db800000000L);
        assertThat(ip.sourceLow()).isEqualTo(1L);
        assertThat(ip.destinationLow()).isEqualTo(2L);
        assertThat(ip.sourceAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        TcpHeader t = v.tcp();
        assertThat(t.sourcePort()).isEqualTo(443);
        assertThat(t.destinationPort()).isEqualTo(55000);
        assertThat(t.sequence()).isEqualTo(1);
        assertThat(t.acknowledgment()).isEqualTo(2);
        assertThat(t.headerLength()).isEqualTo(20);
        assertThat(t.has(TcpHeader.SYN | TcpHeader.ACK)).isTrue();
        assertThat(t.has(TcpHeader.FIN)).isFalse();
        assertThat(t.window()).isEqualTo(0xffff);
    }

    @Test
    void vlanTaggedFrameIsSeenThrough() {
        String tagged = ARP.substring(0, ARP.indexOf("0806")) + "8100 0064 " + ARP.substring(ARP.indexOf("0806"));
        FrameView v = new FrameView();
        assertThat(v.parse(hex(tagged))).isTrue();
        assertThat(v.ethernet().vlanId()).isEqualTo(100);
        assertThat(v.ethernet().etherType()).isEqualTo(EthernetHeader.TYPE_ARP);
        assertThat(v.ethernet().payloadOffset()).isEqualTo(18);
        assertThat(v.hasArp()).isTrue();
    }

    @Test
    void garbageAndTruncatedFramesDoNotThrow() {
        FrameView v = new FrameView();
        assertThat(v.parse(ByteBuffer.allocate(10))).isFalse();
        ByteBuffer cut = hex(UDP);
        cut.limit(30); // IPv4 header cut short
        assertThat(v.parse(cut)).isTrue();
        assertThat(v.hasIpv4()).isFalse();
        ByteBuffer badVersion = hex(UDP);
        badVersion.put(14, (byte) 0x65);
        assertThat(v.parse(badVersion)).isTrue();
        assertThat(v.hasIpv4()).isFalse();
        assertThatThrownBy(v::ipv4).isInstanceOf(IllegalStateException.class).hasMessageContaining("IPv4");
        assertThatThrownBy(() -> new Ipv4Header().wrap(badVersion, 14))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 6");
        assertThatThrownBy(() -> new EthernetHeader().wrap(ByteBuffer.allocate(13), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("14 bytes");
    }

    @Test
    void macAndIpv4Helpers() {
        assertThat(MacAddress.parse("02:70:74:00:00:FF").toString()).isEqualTo("02:70:74:00:00:ff");
        assertThat(MacAddress.of(new MacAddress(0x0270740000ffL).bytes()).bits())
                .isEqualTo(0x0270740000ffL);
        assertThatThrownBy(() -> MacAddress.parse("02:70:74:00:00")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Ipv4Address.format(Ipv4Address.parse("10.1.2.255"))).isEqualTo("10.1.2.255");
        assertThat(Ipv4Address.toInet(Ipv4Address.parse("10.1.2.3")).getHostAddress())
                .isEqualTo("10.1.2.3");
        assertThatThrownBy(() -> Ipv4Address.parse("10.1.2.256")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Address.parse("host")).isInstanceOf(IllegalArgumentException.class);
    }
}
