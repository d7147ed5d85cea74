package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.internal.Require;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

/**
 * {@code tc qdisc add dev DEV root netem delay D JITTER loss P duplicate P limit N seed S}. Many
 * kernels are built without {@code sch_netem}; adding one there fails with ENOENT ("Error: Specified
 * qdisc kind is unknown").
 */
public final class NetemSpec extends QdiscSpec<NetemSpec> {
    private Duration delay = Duration.ZERO;
    private Duration jitter = Duration.ZERO;
    private double loss;
    private double duplicate;
    private int limit = 1000;
    private long seed;

    NetemSpec(LinkRef link) {
        super(link, "netem");
    }

    /** {@code delay DELAY JITTER}. */
    public NetemSpec delay(Duration delay, Duration jitter) {
        if (delay == null || delay.isNegative() || jitter == null || jitter.isNegative()) {
            throw new IllegalArgumentException("netem delay and jitter must be >= 0: " + delay + ", " + jitter);
        }
        this.delay = delay;
        this.jitter = jitter;
        return this;
    }

    /** {@code loss}: a fraction in [0, 1]. */
    public NetemSpec loss(double fraction) {
        this.loss = fraction(fraction, "loss");
        return this;
    }

    /** {@code duplicate}: a fraction in [0, 1]. */
    public NetemSpec duplicate(double fraction) {
        this.duplicate = fraction(fraction, "duplicate");
        return this;
    }

    /** {@code limit}: packets in the queue (1000 by default). */
    public NetemSpec limit(int packets) {
        this.limit = Require.positive(packets, "netem limit");
        return this;
    }

    /** {@code seed}: netem's PRNG seed ({@code TCA_NETEM_PRNG_SEED}); 0 (the default) lets the kernel pick one. */
    public NetemSpec seed(long seed) {
        this.seed = seed;
        return this;
    }

    private static double fraction(double p, String what) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("netem " + what + " is a fraction in [0, 1]: " + p);
        }
        return p;
    }

    /** netem's {@code TCA_OPTIONS} is a {@code struct tc_netem_qopt} followed by attributes, in a nest without NLA_F_NESTED. */
    @Override
    void writeOptions(NlWriter w) {
        long delayNs = delay.toNanos();
        long jitterNs = jitter.toNanos();
        byte[] qopt = ByteBuffer.allocate(24)
                .order(ByteOrder.nativeOrder())
                .putInt((int) Math.min(0xffffffffL, delayNs / TbfSpec.NS_PER_TICK))
                .putInt(limit)
                .putInt(probability(loss))
                .putInt(0) // gap
                .putInt(probability(duplicate))
                .putInt((int) Math.min(0xffffffffL, jitterNs / TbfSpec.NS_PER_TICK))
                .array();
        int o = w.beginPlainNest(Nl.TCA_OPTIONS);
        w.raw(qopt);
        w.u64(Nl.TCA_NETEM_LATENCY64, delayNs);
        w.u64(Nl.TCA_NETEM_JITTER64, jitterNs);
        if (seed != 0) {
            w.u64(Nl.TCA_NETEM_PRNG_SEED, seed);
        }
        w.endNest(o);
    }

    static int probability(double p) {
        return (int) Math.round(p * 0xffffffffL);
    }

    @Override
    public String toString() {
        return super.toString() + " delay " + delay.toNanos() / 1000 + "us " + jitter.toNanos() / 1000 + "us loss "
                + loss + " duplicate " + duplicate + " limit " + limit;
    }
}
