package io.github.netvirt.tap.impair;

import java.time.Duration;

/**
 * What a {@link TapRelay} does to the frames of one direction. Probabilities are fractions in
 * [0, 1]; jitter is added uniformly in [-jitter, +jitter] around the delay (never below zero).
 * Reordering holds a frame back and sends it right after the next one that is not lost (on an idle
 * link, after at most 500 ms). One frame at most is held: {@code reorder} is the probability that a
 * frame is held back, among the frames (not lost) that arrive when none is held; the frame that lets
 * a held one go is never held itself. So of all frames not lost, a fraction
 * {@code reorder / (1 + reorder)} is held back: half of them at {@code reorder = 1}, every other frame.
 */
public record Impairment(Duration delay, Duration jitter, double loss, double duplicate, double reorder) {
    public static final Impairment NONE = new Impairment(Duration.ZERO, Duration.ZERO, 0, 0, 0);

    /** @throws IllegalArgumentException naming the bad value */
    public Impairment {
        check("delay", delay);
        check("jitter", jitter);
        check("loss", loss);
        check("duplicate", duplicate);
        check("reorder", reorder);
    }

    private static void check(String what, Duration d) {
        if (d == null || d.isNegative() || d.toSeconds() >= 60) {
            throw new IllegalArgumentException(what + " must be in [0, 60 s), got " + d);
        }
    }

    private static void check(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must be a fraction in [0, 1], got " + p);
        }
    }

    public static Impairment none() {
        return NONE;
    }

    public Impairment withDelay(Duration d) {
        return new Impairment(d, jitter, loss, duplicate, reorder);
    }

    public Impairment withDelay(Duration d, Duration j) {
        return new Impairment(d, j, loss, duplicate, reorder);
    }

    public Impairment withLoss(double p) {
        return new Impairment(delay, jitter, p, duplicate, reorder);
    }

    public Impairment withDuplicate(double p) {
        return new Impairment(delay, jitter, loss, p, reorder);
    }

    public Impairment withReorder(double p) {
        return new Impairment(delay, jitter, loss, duplicate, p);
    }
}
