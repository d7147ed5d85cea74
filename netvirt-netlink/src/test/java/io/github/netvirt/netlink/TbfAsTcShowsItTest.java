package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlReader;
import io.github.netvirt.netlink.codec.NlWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tbf's numbers as {@code tc} sends and shows them, at rates from 8 bit/s to 10 Tbit/s. The numbers
 * were recorded on kernel 6.18 with iproute2 6.1: {@code tc qdisc add dev D root tbf rate R burst B
 * latency L} (or {@code limit N}), the raw {@code TCA_TBF_PARMS} of the kernel's dump (read with a
 * plain RTM_GETQDISC), and {@code tc -raw -j qdisc show dev D}. No root needed.
 */
class TbfAsTcShowsItTest {

    /** A tbf as the kernel dumps it: rate (and TCA_TBF_RATE64 from 4 GB/s), limit and buffer in ticks. */
    private static Qdisc dumped(long rate, long limit, long bufferTicks) {
        byte[] parms = ByteBuffer.allocate(36)
                .order(ByteOrder.nativeOrder())
                .putInt(0x00000103)
                .putInt(0)
                .putInt((int) Math.min(rate, 0xffffffffL))
                .put(new byte[12])
                .putInt((int) limit)
                .putInt((int) bufferTicks)
                .putInt(0)
                .array();
        NlWriter w = new NlWriter(256);
        int m = w.begin(Nl.RTM_NEWQDISC, 0, 1, 0);
        w.tcmsg(Nl.AF_UNSPEC, 5, TcHandle.of(0x8001, 0), TcHandle.ROOT, 0);
        w.string(Nl.TCA_KIND, "tbf");
        int o = w.beginPlainNest(Nl.TCA_OPTIONS);
        w.bytes(Nl.TCA_TBF_PARMS, parms);
        if (rate >= 1L << 32) {
            w.u64(Nl.TCA_TBF_RATE64, rate);
        }
        w.endNest(o);
        w.end(m);
        return QdiscCodec.decode(NlReader.parseAll(w.toByteArray()).get(0));
    }

    @Test
    void theBucketIsReadBackAsTcShowsIt() {
        // rate, burst given to tc: the dump's buffer ticks -> tc -j's "burst" (whole microseconds at the rate)
        assertThat(dumped(1, 1600, 3525163520L).tbf().burstBytes()).isEqualTo(225); // 8bit burst 1600 (ticks wrapped)
        assertThat(dumped(7_000, 1950, 3571428).tbf().burstBytes()).isEqualTo(1599); // 56kbit burst 1600
        assertThat(dumped(12_500_000, 641384, 20480).tbf().burstBytes()).isEqualTo(16375); // 100mbit burst 16384
        assertThat(dumped(125_000_000, 6251600, 200).tbf().burstBytes()).isEqualTo(1500); // 1gbit burst 1600
        assertThat(dumped(1_250_000_000, 62501600, 19).tbf().burstBytes()).isEqualTo(1250); // 10gbit burst 1600
        assertThat(dumped(12_500_000_000L, 625016384, 20).tbf().burstBytes()).isEqualTo(12500); // 100gbit 16384
        assertThat(dumped(125_000_000_000L, 125010000, 1).tbf().burstBytes()).isEqualTo(0); // 1tbit burst 10000
        // and where the tick is a whole number of microseconds they agree with the burst asked
        assertThat(dumped(125_000, 3000000000L, 2048000).tbf().burstBytes()).isEqualTo(16384); // 1mbit 16384
    }

    @Test
    void aLimitFrom2GiBIsReadBackAsTcShowsIt() {
        // tc ... tbf rate 1mbit burst 16384 limit 3000000000: tc -raw shows "limit":3000000000
        assertThat(dumped(125_000, 3000000000L, 2048000).tbf().limitBytes()).isEqualTo(3_000_000_000L);
        // tc ... tbf rate 400gbit burst 16384 latency 50ms: "limit":2500016384
        assertThat(dumped(50_000_000_000L, 2500016384L, 5).tbf().limitBytes()).isEqualTo(2_500_016_384L);
    }

    /** The u32 limit of the request's TCA_TBF_PARMS. */
    private static long sentLimit(TbfSpec s) {
        byte[] msg = Vectors.encode(QdiscCodec.add(s), 1, Map.of());
        // nlmsghdr, tcmsg, TCA_KIND "tbf", TCA_OPTIONS and TCA_TBF_PARMS headers, then limit at 24
        return Integer.toUnsignedLong(
                ByteBuffer.wrap(msg).order(ByteOrder.nativeOrder()).getInt(16 + 20 + 8 + 4 + 4 + 24));
    }

    @Test
    void aFastRatesLatencyGivesTheLimitTcSends() {
        // tc ... tbf rate 400gbit burst 16384 latency 50ms: the kernel then dumps limit 2500016384
        TbfSpec fast = QdiscSpec.tbf(1).rate(400_000_000_000L).burst(16384).latency(Duration.ofMillis(50));
        assertThat(fast.limitBytes()).isEqualTo(2_500_016_384L);
        assertThat(sentLimit(fast)).isEqualTo(2_500_016_384L);
        // tc ... tbf rate 1mbit burst 16384 limit 3000000000: dumped as 3000000000
        assertThat(sentLimit(QdiscSpec.tbf(1).rate(1_000_000).burst(16384).limit(3_000_000_000L)))
                .isEqualTo(3_000_000_000L);
        // beyond the u32 the kernel takes, tc 6.1 wraps (rate 10tbit latency 50ms: limit 2370474240, a
        // queue of 1.9 ms); netvirt gives the longest queue the kernel can hold
        assertThat(sentLimit(
                        QdiscSpec.tbf(1).rate(10_000_000_000_000L).burst(16384).latency(Duration.ofMillis(50))))
                .isEqualTo(0xffffffffL);
    }
}
