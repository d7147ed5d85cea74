package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.MalformedMessageException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlAttrs;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netlink.codec.NlWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decoder never trusts a length: truncated, misaligned, oversized and random input. No root needed. */
class MalformedInputTest {
    private static ByteBuffer buf(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    }

    /** One message of {@code type} with {@code flags}, sequence number 1, what {@code body} writes as its payload. */
    private static byte[] bytes(int type, int flags, Consumer<NlWriter> body) {
        NlWriter w = new NlWriter(64);
        int m = w.begin(type, flags, 1, 0);
        body.accept(w);
        w.end(m);
        return w.toByteArray();
    }

    /** The bytes {@code fill} puts, in host byte order: a struct written as is. */
    private static byte[] raw(Consumer<ByteBuffer> fill) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        fill.accept(b);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** {@link #bytes} parsed. */
    private static NlMessage message(int type, int flags, Consumer<NlWriter> body) {
        return NlReader.parseAll(bytes(type, flags, body)).get(0);
    }

    private static byte[] linkMessage() {
        return bytes(Nl.RTM_NEWLINK, 0, w -> {
            w.ifinfomsg(0, 1, 7, Nl.IFF_UP, 0);
            w.string(Nl.IFLA_IFNAME, "nl0");
            w.u32(Nl.IFLA_MTU, 1500);
            int li = w.beginPlainNest(Nl.IFLA_LINKINFO);
            w.stringNoNul(Nl.IFLA_INFO_KIND, "veth");
            w.endNest(li);
        });
    }

    @Test
    void wellFormedMessageDecodes() {
        Link l = LinkCodec.decode(NlReader.parseAll(linkMessage()).get(0));
        assertThat(l.name()).isEqualTo("nl0");
        assertThat(l.index()).isEqualTo(7);
        assertThat(l.mtu()).isEqualTo(1500);
        assertThat(l.kind()).isEqualTo("veth");
    }

    @Test
    void truncatedHeader() {
        byte[] b = Arrays.copyOf(linkMessage(), 10);
        assertThatThrownBy(() -> NlReader.parseAll(b))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void lengthShorterThanHeader() {
        byte[] b = linkMessage();
        buf(b).putInt(0, 8);
        assertThatThrownBy(() -> NlReader.parseAll(b)).isInstanceOf(MalformedMessageException.class);
        buf(b).putInt(0, 0);
        assertThatThrownBy(() -> NlReader.parseAll(b)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void lengthBeyondDatagram() {
        byte[] b = linkMessage();
        buf(b).putInt(0, b.length + 4);
        assertThatThrownBy(() -> NlReader.parseAll(b))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("exceeds");
        buf(b).putInt(0, -1);
        assertThatThrownBy(() -> NlReader.parseAll(b)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void truncatedDatagramCutsTheMessage() {
        byte[] b = linkMessage();
        byte[] cut = Arrays.copyOf(b, b.length - 6);
        assertThatThrownBy(() -> NlReader.parseAll(cut)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void payloadShorterThanFixedHeader() {
        NlMessage msg = message(Nl.RTM_NEWLINK, 0, w -> w.u32(1, 0)); // 8 bytes where ifinfomsg needs 16
        assertThatThrownBy(() -> LinkCodec.decode(msg))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("ifinfomsg");
    }

    /** The first attribute's nla_len below 4, then longer than the message. */
    @ParameterizedTest
    @CsvSource({"2, nla_len 2", "500, bytes are left"})
    void impossibleAttributeLength(short nlaLen, String problem) {
        byte[] b = linkMessage();
        // first attribute starts right after nlmsghdr + ifinfomsg
        buf(b).putShort(32, nlaLen);
        NlMessage msg = NlReader.parseAll(b).get(0);
        assertThatThrownBy(() -> LinkCodec.decode(msg))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void nestedAttributeOverflowingItsParent() {
        byte[] b = linkMessage();
        ByteBuffer bb = buf(b);
        // find IFLA_LINKINFO, then make its child claim more than the nest holds
        int p = 32;
        while (Short.toUnsignedInt(bb.getShort(p + 2)) != Nl.IFLA_LINKINFO) {
            p += Nl.align(bb.getShort(p));
        }
        bb.putShort(p + 4, (short) 40);
        NlMessage msg = NlReader.parseAll(b).get(0);
        assertThatThrownBy(() -> LinkCodec.decode(msg)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void attributeTooShortForItsType() {
        NlMessage msg = message(Nl.RTM_NEWLINK, 0, w -> {
            w.ifinfomsg(0, 1, 7, 0, 0);
            w.u16(Nl.IFLA_MTU, 1500); // a u32 attribute with 2 bytes
        });
        assertThatThrownBy(() -> LinkCodec.decode(msg))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("needs 4");
    }

    @Test
    void addressOfImpossibleLength() {
        NlMessage msg = message(Nl.RTM_NEWADDR, 0, w -> {
            w.ifaddrmsg(Nl.AF_INET, 24, 0, 0, 3);
            w.bytes(Nl.IFA_LOCAL, new byte[] {10, 0, 0});
        });
        assertThatThrownBy(() -> AddressCodec.decode(msg)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void trailingBytesInAttributeBlock() {
        byte[] b = new byte[6];
        ByteBuffer bb = buf(b);
        bb.putShort(0, (short) 4).putShort(2, (short) 1);
        assertThatThrownBy(() -> NlAttrs.parse(bb, 0, 6))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("trailing");
    }

    @Test
    void errorMessageEchoingAnImpossibleRequest() {
        NlMessage msg = message(Nl.NLMSG_ERROR, Nl.NLM_F_ACK_TLVS, w -> {
            // the error, then an echoed header that claims 9999 bytes
            w.raw(raw(b -> b.putInt(-17).putInt(9999).putInt(0).putInt(0).putInt(0)));
        });
        // reported like every other failure: the kernel's errno, the extended ack left out
        NetlinkException e = Exchange.ackError(msg, () -> "test");
        assertThat(e.errno()).isEqualTo(17);
        assertThat(e.getMessage()).contains("malformed extended ack").contains("9999");
    }

    @Test
    void extendedAckIsDecoded() {
        NlMessage msg = message(Nl.NLMSG_ERROR, Nl.NLM_F_CAPPED | Nl.NLM_F_ACK_TLVS, w -> {
            w.raw(raw(b -> b.putInt(-22)
                    .putInt(40)
                    .putShort((short) Nl.RTM_NEWLINK)
                    .putShort((short) (Nl.NLM_F_REQUEST | Nl.NLM_F_ACK))
                    .putInt(1)
                    .putInt(0)));
            w.string(Nl.NLMSGERR_ATTR_MSG, "Unknown device type");
            w.u32(Nl.NLMSGERR_ATTR_OFFS, 36);
        });
        NetlinkException e = Exchange.ackError(msg, () -> "RTM_NEWLINK foo x");
        assertThat(e.errnoConstant().name()).isEqualTo("EINVAL");
        assertThat(e.kernelMessage()).isEqualTo("Unknown device type");
        assertThat(e.attributeOffset()).isEqualTo(36);
        assertThat(e.getMessage()).startsWith("RTM_NEWLINK foo x: EINVAL").contains("Unknown device type");
    }

    /** NLMSGERR_ATTR_OFFS is the kernel's word: an offset past the request names no attribute. */
    @Test
    void extendedAckOffsetOutsideTheRequest() {
        NlWriter w = new NlWriter(64);
        w.raw(new byte[8]); // the request need not start the buffer
        int m = w.begin(Nl.RTM_NEWLINK, 0, 1, 0);
        w.ifinfomsg(0, 0, 0, 0, 0);
        w.u32(Nl.IFLA_MTU, 1500);
        w.end(m);
        assertThat(Exchange.attributeTypeAt(w, m, 32)).isEqualTo(Nl.IFLA_MTU);
        for (int offset : new int[] {37, 4096, Integer.MAX_VALUE - 7, Integer.MAX_VALUE - 2, Integer.MAX_VALUE}) {
            assertThat(Exchange.attributeTypeAt(w, m, offset))
                    .as("offset " + offset)
                    .isEqualTo(-1);
        }
    }

    @Test
    void ipv6IsPrintedLikeIproute2() {
        assertThat(IpPrefix.parse("fd00::1/64").toString()).isEqualTo("fd00::1/64");
        assertThat(IpPrefix.parse("fd00:0:0:1:0:0:0:1/64").toString()).isEqualTo("fd00:0:0:1::1/64");
        assertThat(IpPrefix.parse("::/0").toString()).isEqualTo("::/0");
        assertThat(IpPrefix.parse("1:0:2:3:4:5:6:7/128").toString()).isEqualTo("1:0:2:3:4:5:6:7/128");
        assertThat(IpPrefix.parse("fe80::/64").toString()).isEqualTo("fe80::/64");
        assertThat(IpPrefix.parse("10.0.1.1/24").network().toString()).isEqualTo("10.0.1.0/24");
        assertThat(IpPrefix.parse("10.0.1.1")).isEqualTo(IpPrefix.parse("10.0.1.1/32"));
        assertThatThrownBy(() -> IpPrefix.parse("10.0.1.1/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("example.com/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IpPrefix.parse("300.0.0.1/24")).isInstanceOf(IllegalArgumentException.class);
        assertThat(MacAddress.parse("02:AA:bb:0c:dd:ee").toString()).isEqualTo("02:aa:bb:0c:dd:ee");
        assertThatThrownBy(() -> MacAddress.parse("02:aa:bb:0c:dd")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Random corruption of real kernel replies: decoding fails cleanly or succeeds, never out of bounds. */
    @Test
    void fuzzedRealRepliesNeverReadOutOfBounds() {
        Random rnd = new Random(42);
        List<byte[]> seeds = new ArrayList<>();
        for (String name : List.of("dump_link", "dump_addr", "dump_route")) {
            seeds.addAll(Vectors.get(name).datagrams());
        }
        int clean = 0;
        int rejected = 0;
        for (int iter = 0; iter < 20000; iter++) {
            byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
            byte[] b = seed.clone();
            int mutations = 1 + rnd.nextInt(4);
            for (int k = 0; k < mutations; k++) {
                int pos = rnd.nextInt(b.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> b[pos] = (byte) rnd.nextInt(256);
                    case 1 -> b[pos] ^= (byte) (1 << rnd.nextInt(8));
                    default -> b = Arrays.copyOf(b, Math.max(0, pos));
                }
                if (b.length == 0) {
                    break;
                }
            }
            try {
                for (NlMessage m : NlReader.parseAll(b)) {
                    EventSubscription.toEvent(m);
                }
                clean++;
            } catch (MalformedMessageException | IllegalArgumentException e) {
                rejected++;
            }
        }
        assertThat(clean + rejected).isEqualTo(20000);
        assertThat(rejected).isGreaterThan(1000);
    }
}
