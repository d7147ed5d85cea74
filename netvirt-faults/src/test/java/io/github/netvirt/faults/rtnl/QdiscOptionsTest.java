package io.github.netvirt.faults.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class QdiscOptionsTest {
    /**
     * The PARMS and BURST attributes that {@code tc qdisc add dev lo root tbf rate 1mbit burst 32kbit
     * latency 400ms} sends (iproute2 6.x, captured with {@code strace -e trace=sendmsg -xx}); tc also
     * sends a 1024-byte rate table that the kernel ignores for link-layer-aware rate specs.
     */
    private static final String TC_PARMS = "2800010003010000ffff000048e80100"
            + "000000000000000000000000" + "50d30000" + "00d00700" + "00000000";
    private static final String TC_BURST = "0800060000100000";

    @Test
    void tbfOptionsMatchWhatTcSends() {
        NlRequest r = new NlRequest(Rtnl.RTM_NEWQDISC, 0);
        QdiscOptions.tbf(r, 125_000, 4096, 54096);
        byte[] msg = r.encode(1);
        String hex = HexFormat.of().formatHex(msg, 16, msg.length);
        // TCA_OPTIONS without NLA_F_NESTED, as tc writes it: 4 + 40 + 8 = 52 = 0x34
        assertThat(hex).isEqualTo("34000200" + TC_PARMS + TC_BURST);
    }

    @Test
    void tbfAbove4GBytesPerSecondCarriesRate64() {
        NlRequest r = new NlRequest(Rtnl.RTM_NEWQDISC, 0);
        QdiscOptions.tbf(r, 5_000_000_000L, 1 << 20, 1 << 22);
        byte[] msg = r.encode(1);
        String hex = HexFormat.of().formatHex(msg);
        assertThat(hex).contains("0c000400" + "00f2052a01000000"); // TCA_TBF_RATE64 = 5e9, little-endian
        assertThat(hex).contains("ffffffff000000000000000000000000"); // 32-bit rate saturated in PARMS
    }

    @Test
    void qdiscRequestHasTcmsgAndKind() {
        NlRequest r = Rtnl.qdiscRequest(Rtnl.RTM_NEWQDISC, NlRequest.NLM_F_CREATE | NlRequest.NLM_F_EXCL, 1,
                Rtnl.TC_H_ROOT, "tbf", null);
        byte[] msg = r.encode(7);
        // the header and tcmsg + TCA_KIND of the same tc command (type 0x24, flags REQUEST|ACK|EXCL|CREATE)
        assertThat(HexFormat.of().formatHex(msg)).isEqualTo("2c000000" + "2400" + "0506" + "07000000" + "00000000"
                + "000000000100000000000000ffffffff00000000" + "0800010074626600");
    }

    @Test
    void u32MirrorFilterMatchesWhatTcSends() {
        // tc -n NS filter add dev p0 parent ffff: protocol all prio 1 u32 match u32 0 0
        //     action mirred egress mirror dev tp0   (p0 is ifindex 2, tp0 ifindex 4), strace'd
        String tc = "0000000002000000000000000000ffff00030100" + "0800010075333200"
                + "60000200" + "38000700" + "34000100" + "0b0001006d69727265640000"
                + "24000280" + "20000200" + "00000000000000000300000000000000000000000200000004000000"
                + "24000500" + "0100010000000000000000000000000000000000000000000000000000000000";
        NlRequest r = Rtnl.tcRequest(44, NlRequest.NLM_F_CREATE | NlRequest.NLM_F_EXCL, 2, 0, Rtnl.INGRESS_HANDLE,
                (1 << 16) | 0x0300, "u32", o -> QdiscOptions.u32MirrorAll(o, 4));
        byte[] msg = r.encode(1);
        assertThat(HexFormat.of().formatHex(msg, 16, msg.length)).isEqualTo(tc);
    }

    @Test
    void netemOptionsAreAStructFollowedByAttributes() {
        NlRequest r = new NlRequest(Rtnl.RTM_NEWQDISC, 0);
        QdiscOptions.netem(r, 10_000_000, 0, 0.5, 0, 1000, 42);
        byte[] msg = r.encode(1);
        String hex = HexFormat.of().formatHex(msg, 16, msg.length);
        // 4 + 24 + 12 + 12 + 12 = 64; latency 10 ms = 156250 ticks; loss 0.5 = 0x80000000
        assertThat(hex).startsWith("40000200" + "5a620200" + "e8030000" + "00000080");
        assertThat(hex).contains("0c000a00" + "8096980000000000").contains("0c000e00" + "2a00000000000000");
    }
}
