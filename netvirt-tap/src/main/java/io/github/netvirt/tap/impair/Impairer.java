package io.github.netvirt.tap.impair;

/**
 * The seeded decision maker of one direction: the n-th call to {@link #next} depends only on the
 * seed, n and the impairment, never on timing (unless {@link #release} is called: a relay calls it
 * only when a held frame's hold times out). Every call draws exactly four numbers, so changing
 * one probability does not shift the other decisions of later frames.
 *
 * <p>It knows whether a frame is held back: a reordered verdict holds its frame back, and the next
 * verdict that is not a drop lets it go and is never itself reordered. So the reorder probability is
 * that of being held back among the frames (not lost) that arrive when none is held, and the
 * reordered verdicts are exactly the frames held back.
 */
public final class Impairer {
    private final SplitMix64 random;
    private volatile Impairment impairment;
    private long frame;
    /** Whether the frame of the last reordered verdict is still held back, waiting for a successor. */
    private boolean holding;

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

    /**
     * Tells that the frame held back after the last reordered verdict went without a successor (its
     * hold timed out, or it could not be kept): the next frame may be held back in turn.
     */
    public void release() {
        holding = false;
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
        boolean reorder = false;
        if (!drop) {
            // a frame that lets the held one go is not held back itself
            reorder = !holding && reorderDraw < i.reorder();
            holding = reorder;
        }
        return new Verdict(frame++, drop, !drop && dupDraw < i.duplicate(), reorder, drop ? 0 : delay);
    }
}
