package io.github.netvirt.tap.packet;

import static io.github.netvirt.tap.packet.ChecksumTest.hex;
import static io.github.netvirt.tap.packet.HeaderViewsTest.ARP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.MacAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BuildersTest {
    @Test
    void arpRequestIsByteForByteTheCanonicalOne() {
        ByteBuffer b = ByteBuffer.allocate(100);
        int n = ArpBuilder.request(
                b,
                MacAddress.parse("00:11:22:33:44:55").bits(),
                Ipv4Address.parse("192.168.0.1"),
                Ipv4Address.parse("192.168.0.2"));
        assertThat(n).isEqualTo(42);
        assertThat(b.position()).isEqualTo(42);
        b.flip();
        assertThat(b).isEqualTo(hex(ARP));
    }

    @Test
    void arpReplyParses() {
        ByteBuffer b = ByteBuffer.allocateDirect(64);
        ArpBuilder.reply(b, 0x0aL, 0x0a000001, 0x0bL, 0x0a000002);
        b.flip();
        FrameView v = new FrameView();
        assertThat(v.parse(b)).isTrue();
        assertThat(v.ethernet().destination()).isEqualTo(0x0bL);
        assertThat(v.ethernet().source()).isEqualTo(0x0aL);
        assertThat(v.arp().operation()).isEqualTo(ArpPacket.REPLY);
        assertThat(v.arp().senderIp()).isEqualTo(0x0a000001);
        assertThat(v.arp().targetMac()).isEqualTo(0x0bL);
    }

    @Test
    void icmpEchoRequestHasValidChecksumsAndParses() {
        byte[] payload = "abcdefghijklmnopq".getBytes(); // odd length: the checksum pads
        ByteBuffer b = ByteBuffer.allocate(200);
        b.position(5);
        int n = IcmpEchoBuilder.request(
                b,
                0x020000000001L,
                0x020000000002L,
                Ipv4Address.parse("10.9.0.1"),
                Ipv4Address.parse("10.9.0.2"),
                0x1234,
                7,
                payload,
                0,
                payload.length);
        assertThat(n).isEqualTo(14 + 20 + 8 + 17);
        assertThat(b.position()).isEqualTo(5 + n);
        b.limit(b.position()).position(5);
        FrameView v = new FrameView();
        assertThat(v.parse(b)).isTrue();
        assertThat(v.ipv4().checksumValid()).isTrue();
        assertThat(v.ipv4().totalLength()).isEqualTo(20 + 8 + 17);
        assertThat(v.ipv4().protocol()).isEqualTo(Ipv4Header.PROTO_ICMP);
        assertThat(v.hasIcmp()).isTrue();
        assertThat(v.icmp().type()).isEqualTo(IcmpHeader.ECHO_REQUEST);
        assertThat(v.icmp().identifier()).isEqualTo(0x1234);
        assertThat(v.icmp().sequence()).isEqualTo(7);
        assertThat(v.icmp().checksumValid(8 + 17)).isTrue();
        // an independent sum: ones'-complement of all 16-bit words of the ICMP message
        long sum = 0;
        int ic = v.icmp().offset();
        for (int i = 0; i < 25; i += 2) {
            int hi = b.get(ic + i) & 0xff;
            int lo = i + 1 < 25 ? b.get(ic + i + 1) & 0xff : 0;
            sum += hi << 8 | lo;
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        assertThat(sum).isEqualTo(0xffff);
        byte[] back = new byte[17];
        b.get(v.icmp().payloadOffset(), back);
        assertThat(back).isEqualTo(payload);
    }

    @Test
    void buildersCheckTheirArguments() {
        assertThatThrownBy(() -> ArpBuilder.request(ByteBuffer.allocate(41), 1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("42");
        assertThatThrownBy(() ->
                        IcmpEchoBuilder.request(ByteBuffer.allocate(100), 1, 2, 3, 4, 0x10000, 1, new byte[0], 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16-bit");
        assertThatThrownBy(() -> IcmpEchoBuilder.reply(ByteBuffer.allocate(50), 1, 2, 3, 4, 1, 1, new byte[10], 0, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("52");
    }
}
