package io.github.netvirt.tap.impair;

/**
 * The seeded decision maker of one direction: the n-th call to {@link #next} depends only on the
 * seed, n and the impairment, never on timing. Every call draws exactly four numbers, so changing
 * one probability does not shift the other decisions of later frames.
 */
public final class Impairer {
    private final SplitMix64 random;
    private volatile Impairment impairment;
    private long frame;

    public Impairer(long seed, Impairment impairment) {
        this.random = new SplitMix64(seed);
        this.impairment = impairment;
    }

    public void impairment(Impairment i) {
        this.impairment = java.util.Objects.requireNonNull(i);
    }

    public Impairment impairment() {
        return impairment;
    }

    public Verdict next() {
        Impairment i = impairment;
        double lossDraw = random.nextDouble();
        double dupDraw = random.nextDouble();
        double reorderDraw = random.nextDouble();
        double jitterDraw = random.nextDouble();
        boolean drop = lossDraw < i.loss();
        long jitter = i.jitter().toNanos();
        long delay = Math.max(0, i.delay().toNanos() + Math.round((jitterDraw * 2 - 1) * jitter));
        return new Verdict(
                frame++, drop, !drop && dupDraw < i.duplicate(), !drop && reorderDraw < i.reorder(), drop ? 0 : delay);
    }
}
