package io.github.netvirt.core.spec;

import io.github.netvirt.tap.impair.Impairment;
import java.time.Duration;
import java.util.Locale;

/**
 * What a link does to its traffic, in each direction, like Mininet's {@code addLink(bw, delay,
 * loss)}: a rate limit, a delay with jitter around it, and a loss probability. Each direction gets
 * the whole condition (a 40 ms delay makes an 80 ms round trip), with its own random stream drawn
 * from {@code seed}: the n-th IP frame of a direction is lost or delayed the same way in every run
 * with the same seed.
 *
 * @param bitsPerSecond the rate, 8 bit/s .. 10 Tbit/s ({@link #MAX_BITS_PER_SECOND}), 0 for none
 * @param delay         one-way delay, {@link Duration#ZERO} for none; less than 60 s
 * @param jitter        added uniformly in [-jitter, +jitter] around the delay (never below zero); less than 60 s
 * @param loss          the fraction of IP frames lost, in [0, 1]
 * @param seed          the seed of the loss and jitter decisions; 0 (as {@link #NONE} has) stands for none on a
 *                      live link ({@code Topology.condition}), which then gets one derived from the link's names
 */
public record LinkCondition(long bitsPerSecond, Duration delay, Duration jitter, double loss, long seed) {
    /** No condition: what the {@code with...} methods start from. */
    public static final LinkCondition NONE = new LinkCondition(0, Duration.ZERO, Duration.ZERO, 0, 0);

    /** The highest rate: 10 Tbit/s, given in bits ({@link #withRate(long)}) or as text ({@link #parseRate}). */
    public static final long MAX_BITS_PER_SECOND = 10_000_000_000_000L;

    /** @throws IllegalArgumentException naming the bad value */
    public LinkCondition {
        if (bitsPerSecond != 0 && (bitsPerSecond < 8 || bitsPerSecond > MAX_BITS_PER_SECOND)) {
            throw new IllegalArgumentException(
                    "rate must be in 8 bit/s .. 10 Tbit/s (or 0 for none), got " + bitsPerSecond + " bit/s");
        }
        impairment(delay, jitter, loss); // checks the delay, jitter and loss
    }

    public LinkCondition withRate(long bitsPerSecond) {
        return new LinkCondition(bitsPerSecond, delay, jitter, loss, seed);
    }

    /** @param rate as {@code tc} writes it: {@code 10mbit}, {@code 512kbit}, {@code 1gbit}, {@code 100kbps} (bytes), ... */
    public LinkCondition withRate(String rate) {
        return withRate(parseRate(rate));
    }

    public LinkCondition withDelay(Duration delay) {
        return new LinkCondition(bitsPerSecond, delay, jitter, loss, seed);
    }

    public LinkCondition withJitter(Duration jitter) {
        return new LinkCondition(bitsPerSecond, delay, jitter, loss, seed);
    }

    public LinkCondition withLoss(double loss) {
        return new LinkCondition(bitsPerSecond, delay, jitter, loss, seed);
    }

    public LinkCondition withSeed(long seed) {
        return new LinkCondition(bitsPerSecond, delay, jitter, loss, seed);
    }

    /**
     * What the userspace relay does to each direction's frames for this condition: its delay, jitter
     * and loss (the rate is a {@code tbf}, not the relay's).
     */
    public Impairment impairment() {
        return impairment(delay, jitter, loss);
    }

    private static Impairment impairment(Duration delay, Duration jitter, double loss) {
        return new Impairment(delay, jitter, loss, 0, 0);
    }

    /** Whether frames must be delayed or lost (not only paced): netem, or the userspace relay. */
    public boolean impairs() {
        return !delay.isZero() || !jitter.isZero() || loss > 0;
    }

    /**
     * Parses a rate as {@code tc} writes it: a number and a unit, {@code bit}, {@code kbit},
     * {@code mbit}, {@code gbit} (powers of 1000), {@code kibit}, {@code mibit}, {@code gibit}
     * (powers of 1024), or the same with {@code bps} for bytes per second.
     *
     * @return bits per second
     * @throws IllegalArgumentException if the text is not such a rate
     */
    public static long parseRate(String rate) {
        if (rate == null) {
            throw new IllegalArgumentException("rate is null");
        }
        String s = rate.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        String unit = s.substring(i);
        double n;
        try {
            n = Double.parseDouble(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rate \"" + rate + "\" does not start with a number", e);
        }
        boolean bytes = unit.endsWith("bps");
        String prefix = bytes
                ? unit.substring(0, unit.length() - 3)
                : unit.endsWith("bit") ? unit.substring(0, unit.length() - 3) : null;
        if (prefix == null) {
            throw new IllegalArgumentException(
                    "rate \"" + rate + "\" needs a unit: bit, kbit, mbit, gbit, kibit, ... or bps, kbps, ...");
        }
        double scale = switch (prefix) {
            case "" -> 1;
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            case "t" -> 1e12;
            case "ki" -> 1024.0;
            case "mi" -> 1024.0 * 1024;
            case "gi" -> 1024.0 * 1024 * 1024;
            default -> throw new IllegalArgumentException("rate \"" + rate + "\": unknown unit " + unit);
        };
        double bits = n * scale * (bytes ? 8 : 1);
        if (!(bits >= 8) || bits > MAX_BITS_PER_SECOND) {
            throw new IllegalArgumentException("rate \"" + rate + "\" is out of 8 bit/s .. 10 Tbit/s");
        }
        return Math.round(bits);
    }

    /** As {@code tc} would print it: {@code rate 10mbit delay 40ms 5ms loss 1%}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (bitsPerSecond > 0) {
            s.append("rate ").append(formatRate(bitsPerSecond));
        }
        if (!delay.isZero() || !jitter.isZero()) {
            s.append(s.length() > 0 ? " " : "").append("delay ").append(formatTime(delay));
            if (!jitter.isZero()) {
                s.append(' ').append(formatTime(jitter));
            }
        }
        if (loss > 0) {
            s.append(s.length() > 0 ? " " : "").append("loss ").append(formatPercent(loss));
        }
        return s.length() == 0 ? "none" : s.toString();
    }

    static String formatRate(long bits) {
        if (bits % 1_000_000_000 == 0) {
            return bits / 1_000_000_000 + "gbit";
        }
        if (bits % 1_000_000 == 0) {
            return bits / 1_000_000 + "mbit";
        }
        if (bits % 1000 == 0) {
            return bits / 1000 + "kbit";
        }
        return bits + "bit";
    }

    static String formatTime(Duration d) {
        long us = d.toNanos() / 1000;
        return us % 1000 == 0 ? us / 1000 + "ms" : us + "us";
    }

    static String formatPercent(double p) {
        String s = String.format(Locale.ROOT, "%.6f", p * 100).replaceAll("0+$", "");
        return (s.endsWith(".") ? s.substring(0, s.length() - 1) : s) + "%";
    }
}
