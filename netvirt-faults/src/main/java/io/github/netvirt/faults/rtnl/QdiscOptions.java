package io.github.netvirt.faults.rtnl;

/**
 * Encoders for the {@code TCA_OPTIONS} of the queueing disciplines netvirt-faults uses, laid out as
 * {@code tc} lays them out (checked byte for byte against {@code strace tc qdisc add}).
 */
public final class QdiscOptions {
    static final int TCA_TBF_PARMS = 1;
    static final int TCA_TBF_RATE64 = 4;
    static final int TCA_TBF_BURST = 6;
    static final int TCA_NETEM_LATENCY64 = 10;
    static final int TCA_NETEM_JITTER64 = 11;
    static final int TCA_NETEM_PRNG_SEED = 14;
    private static final int TC_LINKLAYER_ETHERNET = 1;
    /** psched ticks are 64 ns ({@code PSCHED_SHIFT} 6). */
    private static final long NS_PER_TICK = 64;

    private QdiscOptions() {
    }

    /**
     * tbf: {@code rate} in bytes per second, {@code burst} bytes, {@code limit} bytes of queue. The
     * rate table tc also sends is not needed: with the link layer set to Ethernet the kernel
     * computes the rate itself.
     */
    public static void tbf(NlRequest r, long rateBytes, int burst, int limit) {
        long bufferTicks = Math.min(0xffffffffL, burst * 1_000_000_000L / rateBytes / NS_PER_TICK);
        byte[] parms = NlRequest.le(36)
                .put((byte) 3).put((byte) TC_LINKLAYER_ETHERNET).putShort((short) 0).putShort((short) -1).putShort((short) 0)
                .putInt((int) Math.min(rateBytes, 0xffffffffL))
                .put(new byte[12])
                .putInt(limit).putInt((int) bufferTicks).putInt(0)
                .array();
        r.beginPlainNest(Rtnl.TCA_OPTIONS).attr(TCA_TBF_PARMS, parms).attrU32(TCA_TBF_BURST, burst);
        if (rateBytes >= 1L << 32) {
            r.attrU64(TCA_TBF_RATE64, rateBytes);
        }
        r.endNest();
    }

    /**
     * netem: its {@code TCA_OPTIONS} is a {@code struct tc_netem_qopt} followed by attributes.
     * Probabilities are fractions in [0, 1]; {@code seed} 0 lets the kernel pick one.
     */
    public static void netem(NlRequest r, long delayNanos, long jitterNanos, double loss, double duplicate,
            int limit, long seed) {
        byte[] qopt = NlRequest.le(24)
                .putInt((int) Math.min(0xffffffffL, delayNanos / NS_PER_TICK))
                .putInt(limit)
                .putInt(probability(loss))
                .putInt(0)
                .putInt(probability(duplicate))
                .putInt((int) Math.min(0xffffffffL, jitterNanos / NS_PER_TICK))
                .array();
        r.beginPlainNest(Rtnl.TCA_OPTIONS).struct(qopt)
                .attrU64(TCA_NETEM_LATENCY64, delayNanos)
                .attrU64(TCA_NETEM_JITTER64, jitterNanos);
        if (seed != 0) {
            r.attrU64(TCA_NETEM_PRNG_SEED, seed);
        }
        r.endNest();
    }

    static final int TCA_U32_SEL = 5;
    static final int TCA_U32_ACT = 7;
    static final int TCA_ACT_KIND = 1;
    static final int TCA_ACT_OPTIONS = 2;
    static final int TCA_MIRRED_PARMS = 2;
    private static final int TC_U32_TERMINAL = 1;
    private static final int TC_ACT_PIPE = 3;
    private static final int TCA_EGRESS_MIRROR = 2;

    /**
     * A u32 filter that matches every frame ({@code match u32 0 0}) with one action,
     * {@code mirred egress mirror dev TARGET}: the frame goes on, and a copy leaves through
     * {@code target}. Laid out as {@code tc filter add ... u32 match u32 0 0 action mirred egress
     * mirror dev X} sends it.
     */
    public static void u32MirrorAll(NlRequest r, int targetIfindex) {
        byte[] mirred = NlRequest.le(28).putInt(0).putInt(0).putInt(TC_ACT_PIPE).putInt(0).putInt(0)
                .putInt(TCA_EGRESS_MIRROR).putInt(targetIfindex).array();
        byte[] sel = NlRequest.le(32).put((byte) TC_U32_TERMINAL).put((byte) 0).put((byte) 1).put((byte) 0)
                .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                .putInt(0).putInt(0).putInt(0).putInt(0) // the key: mask 0, value 0 at offset 0
                .array();
        r.beginPlainNest(Rtnl.TCA_OPTIONS)
                .beginPlainNest(TCA_U32_ACT)
                .beginPlainNest(1) // the first action
                .attrString(TCA_ACT_KIND, "mirred")
                .beginNest(TCA_ACT_OPTIONS).attr(TCA_MIRRED_PARMS, mirred).endNest()
                .endNest()
                .endNest()
                .attr(TCA_U32_SEL, sel)
                .endNest();
    }

    static int probability(double p) {
        return (int) Math.round(p * 0xffffffffL);
    }
}
