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

    static int probability(double p) {
        return (int) Math.round(p * 0xffffffffL);
    }
}
