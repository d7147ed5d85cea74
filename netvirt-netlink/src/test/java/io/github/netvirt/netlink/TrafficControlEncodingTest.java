package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.codec.MalformedMessageException;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlMessage;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netlink.codec.NlWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * tc requests encoded by netvirt compared byte for byte with what {@code tc} (iproute2 6.x) sends,
 * captured with {@code strace -e trace=sendmsg -xx}. No root needed.
 */
class TrafficControlEncodingTest {
    /**
     * The PARMS and BURST attributes that {@code tc qdisc add dev lo root tbf rate 1mbit burst 32kbit
     * latency 400ms} sends; tc also sends a 1024-byte rate table that the kernel ignores for
     * link-layer-aware rate specs.
     */
    private static final String TC_PARMS =
            "2800010003010000ffff000048e80100" + "000000000000000000000000" + "50d30000" + "00d00700" + "00000000";

    private static final String TC_BURST = "0800060000100000";

    private static String hex(byte[] b, int from) {
        return HexFormat.of().formatHex(b, from, b.length);
    }

    /** The bytes after nlmsghdr and tcmsg (16 + 20) and TCA_KIND "tbf" (8). */
    private static final int TBF_OPTIONS_AT = 16 + 20 + 8;

    @Test
    void tbfOptionsMatchWhatTcSends() {
        byte[] msg = Vectors.encode(
                QdiscCodec.add(QdiscSpec.tbf(1).rate(1_000_000).burst(4096).latency(Duration.ofMillis(400))),
                1,
                Map.of());
        // TCA_OPTIONS without NLA_F_NESTED, as tc writes it: 4 + 40 + 8 = 52 = 0x34
        assertThat(hex(msg, TBF_OPTIONS_AT)).isEqualTo("34000200" + TC_PARMS + TC_BURST);
        // the same with the limit tc computed from the latency: 125000 B/s x 0.4 s + 4096
        byte[] byLimit = Vectors.encode(
                QdiscCodec.add(QdiscSpec.tbf(1).rate(1_000_000).burst(4096).limit(54096)), 1, Map.of());
        assertThat(byLimit).isEqualTo(msg);
    }

    @Test
    void tbfAbove4GBytesPerSecondCarriesRate64() {
        byte[] msg = Vectors.encode(
                QdiscCodec.add(
                        QdiscSpec.tbf(1).rate(40_000_000_000L).burst(1 << 20).limit(1 << 22)),
                1,
                Map.of());
        String hex = hex(msg, 0);
        assertThat(hex).contains("0c000400" + "00f2052a01000000"); // TCA_TBF_RATE64 = 5e9 B/s, little-endian
        assertThat(hex).contains("ffffffff000000000000000000000000"); // 32-bit rate saturated in PARMS
    }

    @Test
    void qdiscRequestHasTcmsgAndKind() {
        // the header and tcmsg + TCA_KIND of the same tc command (type 0x24, flags REQUEST|ACK|EXCL|CREATE)
        Request r =
                QdiscCodec.add(QdiscSpec.tbf("lo").rate(1_000_000).burst(4096).limit(54096));
        byte[] msg = Vectors.encode(r, 7, Map.of("lo", 1));
        assertThat(hex(msg, 4))
                .startsWith("2400" + "0506" + "07000000" + "00000000" + "000000000100000000000000ffffffff00000000"
                        + "0800010074626600");
        assertThat(msg.length).isEqualTo(TBF_OPTIONS_AT + 0x34);
    }

    @Test
    void u32MirrorFilterMatchesWhatTcSends() {
        // tc -n NS filter add dev p0 parent ffff: protocol all prio 1 u32 match u32 0 0
        //     action mirred egress mirror dev tp0   (p0 is ifindex 2, tp0 ifindex 4), strace'd
        String tc = "0000000002000000000000000000ffff00030100" + "0800010075333200"
                + "60000200" + "38000700" + "34000100" + "0b0001006d69727265640000"
                + "24000280" + "20000200" + "00000000000000000300000000000000000000000200000004000000"
                + "24000500" + "0100010000000000000000000000000000000000000000000000000000000000";
        Request r = FilterCodec.add(FilterSpec.u32MatchAll("p0")
                .parent(TcHandle.INGRESS_QDISC)
                .priority(1)
                .mirredEgressMirror("tp0"));
        byte[] msg = Vectors.encode(r, 1, Map.of("p0", 2, "tp0", 4));
        assertThat(hex(msg, 16)).isEqualTo(tc);
        assertThat(msg[4]).isEqualTo((byte) 44); // RTM_NEWTFILTER
    }

    @Test
    void anActionsCookieFollowsItsOptionsAsTcSendsIt() {
        // tc -n NS filter add dev p0 parent ffff: protocol all prio 1 u32 match u32 0 0
        //     action mirred egress mirror dev tp0 cookie 00112233445566778899aabbccddeeff
        //     (p0 is ifindex 3, tp0 ifindex 5), strace'd
        String tc = "0000000003000000000000000000ffff00030100" + "0800010075333200"
                + "74000200" + "4c000700" + "48000100" + "0b0001006d69727265640000"
                + "24000280" + "20000200" + "00000000000000000300000000000000000000000200000005000000"
                + "14000600" + "00112233445566778899aabbccddeeff"
                + "24000500" + "0100010000000000000000000000000000000000000000000000000000000000";
        Request r = FilterCodec.add(FilterSpec.u32MatchAll("p0")
                .parent(TcHandle.INGRESS_QDISC)
                .priority(1)
                .mirredEgressMirror("tp0")
                .cookie("00112233445566778899aabbccddeeff"));
        assertThat(hex(Vectors.encode(r, 1, Map.of("p0", 3, "tp0", 5)), 16)).isEqualTo(tc);
    }

    @Test
    void netemOptionsAreAStructFollowedByAttributes() {
        byte[] msg = Vectors.encode(
                QdiscCodec.add(QdiscSpec.netem(1)
                        .delay(Duration.ofMillis(10), Duration.ZERO)
                        .loss(0.5)
                        .limit(1000)
                        .seed(42)),
                1,
                Map.of());
        String hex = hex(msg, 16 + 20 + 12); // after TCA_KIND "netem"
        // 4 + 24 + 12 + 12 + 12 = 64; latency 10 ms = 156250 ticks; loss 0.5 = 0x80000000
        assertThat(hex).startsWith("40000200" + "5a620200" + "e8030000" + "00000080");
        assertThat(hex).contains("0c000a00" + "8096980000000000").contains("0c000e00" + "2a00000000000000");
    }

    @Test
    void ingressAndDeletesCarryNoOptions() {
        byte[] ingress = Vectors.encode(QdiscCodec.add(QdiscSpec.ingress(3)), 1, Map.of());
        // tc qdisc add dev X ingress: handle ffff:, parent ffff:fff1, TCA_KIND "ingress"
        assertThat(hex(ingress, 16))
                .isEqualTo("00000000" + "03000000" + "0000ffff" + "f1ffffff" + "00000000" + "0c000100"
                        + "696e677265737300");
        byte[] delRoot = Vectors.encode(QdiscCodec.del(QdiscSpec.root(3)), 1, Map.of());
        assertThat(delRoot[4]).isEqualTo((byte) Nl.RTM_DELQDISC);
        assertThat(hex(delRoot, 16)).isEqualTo("000000000300000000000000ffffffff00000000");
        byte[] delTbf = Vectors.encode(QdiscCodec.del(QdiscSpec.tbf(3)), 1, Map.of()); // incomplete is fine for del
        assertThat(delTbf.length).isEqualTo(16 + 20 + 8);
        byte[] delFilter = Vectors.encode(
                FilterCodec.del(FilterSpec.u32MatchAll(3).priority(1).mirredEgressMirror("x")), 1, Map.of());
        assertThat(hex(delFilter, 16)).isEqualTo("0000000003000000000000000000ffff00030100" + "0800010075333200");
    }

    @Test
    void badSpecsFailBeforeAnythingIsSent() {
        assertThatThrownBy(() -> QdiscSpec.tbf("eth0").rate(7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> QdiscSpec.tbf("eth0").burst(0)).hasMessageContaining("burst");
        assertThatThrownBy(() -> QdiscCodec.add(QdiscSpec.tbf("eth0").rate(1_000_000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs rate, burst");
        assertThatThrownBy(() -> QdiscCodec.replace(QdiscSpec.root("eth0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("to delete");
        assertThatThrownBy(() -> QdiscSpec.netem("eth0").loss(1.5)).hasMessageContaining("loss");
        assertThatThrownBy(() -> QdiscSpec.generic("eth0", "")).hasMessageContaining("kind");
        assertThatThrownBy(() -> QdiscSpec.tbf("eth0").handle(TcHandle.of(1, 1)))
                .hasMessageContaining("minor");
        assertThatThrownBy(() -> FilterSpec.u32MatchAll("eth0").priority(70000)).hasMessageContaining("priority");
        assertThatThrownBy(() -> FilterSpec.u32MatchAll("eth0").cookie("00"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("action first");
        for (String bad : List.of("", "0", "abc", "0g", "00112233445566778899aabbccddeeff00")) {
            assertThatThrownBy(() ->
                            FilterSpec.u32MatchAll("eth0").mirredEgressMirror(4).cookie(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cookie");
        }
        assertThatThrownBy(() -> QdiscSpec.tbf("this-name-is-too-long")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handlesFormatAndParseAsTcWritesThem() {
        assertThat(TcHandle.format(TcHandle.INGRESS_QDISC)).isEqualTo("ffff:");
        assertThat(TcHandle.format(TcHandle.of(1, 0x10))).isEqualTo("1:10");
        assertThat(TcHandle.format(TcHandle.ROOT)).isEqualTo("root");
        assertThat(TcHandle.parse("ffff:")).isEqualTo(TcHandle.INGRESS_QDISC);
        assertThat(TcHandle.parse("1:10")).isEqualTo(0x10010);
        assertThat(TcHandle.parse("ingress")).isEqualTo(TcHandle.INGRESS);
        assertThatThrownBy(() -> TcHandle.parse("1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcHandle.parse("x:")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodesQdiscAndFilterReplies() {
        // a reply is laid out as a request: encode one, change its type, decode it
        NlWriter w = new NlWriter(256);
        int m = w.begin(Nl.RTM_NEWQDISC, 0, 1, 0);
        QdiscCodec.write(w, QdiscSpec.tbf(5).rate(2_000_000).burst(16384).latency(Duration.ofMillis(100)), 5, true);
        w.end(m);
        List<NlMessage> msgs = NlReader.parseAll(w.toByteArray());
        Qdisc q = QdiscCodec.decode(msgs.get(0));
        assertThat(q).isEqualTo(new Qdisc(5, 0, TcHandle.ROOT, "tbf", new Qdisc.Tbf(250_000, 16384, 41_384)));

        w.reset();
        m = w.begin(Nl.RTM_NEWTFILTER, 0, 1, 0);
        FilterSpec f = FilterSpec.u32MatchAll(2).priority(7).mirredEgressMirror(4);
        FilterCodec.write(
                w, 2, TcHandle.INGRESS_QDISC, 0, FilterCodec.info(7, Nl.ETH_P_ALL), true, f.actions, new int[] {4});
        w.end(m);
        Filter decoded = FilterCodec.decode(NlReader.parseAll(w.toByteArray()).get(0));
        assertThat(decoded)
                .isEqualTo(new Filter(
                        2,
                        TcHandle.INGRESS_QDISC,
                        0,
                        7,
                        Nl.ETH_P_ALL,
                        "u32",
                        List.of(new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, 4))));
    }

    @Test
    void anActionsCookieIsReadBackAsTcShowsIt() {
        NlWriter w = new NlWriter(256);
        int m = w.begin(Nl.RTM_NEWTFILTER, 0, 1, 0);
        FilterSpec f = FilterSpec.u32MatchAll(2)
                .mirredEgressMirror(4)
                .cookie("00112233445566778899AABBCCDDEEFF")
                .mirredEgressRedirect(5);
        FilterCodec.write(
                w, 2, TcHandle.INGRESS_QDISC, 0, FilterCodec.info(1, Nl.ETH_P_ALL), true, f.actions, new int[] {4, 5});
        w.end(m);
        assertThat(FilterCodec.decode(NlReader.parseAll(w.toByteArray()).get(0)).mirred())
                .containsExactly(
                        new Filter.Mirred(Nl.TCA_EGRESS_MIRROR, 4, "00112233445566778899aabbccddeeff"),
                        new Filter.Mirred(Nl.TCA_EGRESS_REDIR, 5, ""));
        assertThat(f.toString()).contains("mirror dev #4 cookie 00112233445566778899aabbccddeeff action");
    }

    /** Random corruption of qdisc and filter replies: decoding fails cleanly or succeeds, never out of bounds. */
    @Test
    void fuzzedRepliesNeverReadOutOfBounds() {
        NlWriter w = new NlWriter(512);
        int m = w.begin(Nl.RTM_NEWQDISC, 0, 1, 0);
        QdiscCodec.write(w, QdiscSpec.tbf(5).rate(40_000_000_000L).burst(16384).limit(1 << 20), 5, true);
        w.end(m);
        m = w.begin(Nl.RTM_NEWTFILTER, 0, 1, 0);
        FilterSpec f = FilterSpec.u32MatchAll(2)
                .mirredEgressMirror(4)
                .cookie("00112233")
                .mirredEgressRedirect(5);
        FilterCodec.write(
                w, 2, TcHandle.INGRESS_QDISC, 0, FilterCodec.info(1, Nl.ETH_P_ALL), true, f.actions, new int[] {4, 5});
        w.end(m);
        byte[] seed = w.toByteArray();
        Random rnd = new Random(7);
        int rejected = 0;
        for (int iter = 0; iter < 20000; iter++) {
            byte[] b = seed.clone();
            for (int k = 1 + rnd.nextInt(4); k > 0 && b.length > 0; k--) {
                int pos = rnd.nextInt(b.length);
                switch (rnd.nextInt(3)) {
                    case 0 -> b[pos] = (byte) rnd.nextInt(256);
                    case 1 -> b[pos] ^= (byte) (1 << rnd.nextInt(8));
                    default -> b = Arrays.copyOf(b, pos);
                }
            }
            try {
                for (NlMessage msg : NlReader.parseAll(b)) {
                    QdiscCodec.decode(msg);
                    FilterCodec.decode(msg);
                }
            } catch (MalformedMessageException e) {
                rejected++;
            }
        }
        assertThat(rejected).isGreaterThan(1000);
    }

    @Test
    void aRateAloneGetsTenMillisecondsOfBurstAndFiftyOfQueue() {
        TbfSpec slow = QdiscSpec.tbf("eth0").rateWithDefaults(2_000_000);
        assertThat(slow.burstBytes()).isEqualTo(16 * 1024); // 10 ms would be 2500 bytes: the floor
        assertThat(slow.limitBytes()).isEqualTo(250_000 / 20 + 16 * 1024);
        TbfSpec fast = QdiscSpec.tbf("eth0").rateWithDefaults(10_000_000_000L);
        assertThat(fast.burstBytes()).isEqualTo(12_500_000);
        assertThat(fast.limitBytes()).isEqualTo(62_500_000 + 12_500_000);
        assertThat(TbfSpec.defaultBurst(1L << 40)).isEqualTo(64 << 20);
    }
}
