package io.github.netvirt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A system's time or rate over a reference's, round by round: each round measures both within
 * seconds of each other, so the ratio of one round is not moved by what the rest of the machine did
 * in another. The median of these per-round ratios is what the targets and their bounds compare;
 * their spread says how far one round can be trusted.
 */
public final class RoundRatios {
    private final List<Double> ratios = new ArrayList<>();

    /**
     * The per-round ratios {@code system / reference} of {@code rounds} (one map of system -> rate
     * per round); rounds missing either system, or with a reference rate of 0, are left out.
     */
    public static RoundRatios of(List<Map<String, Double>> rounds, String system, String reference) {
        RoundRatios r = new RoundRatios();
        for (Map<String, Double> round : rounds) {
            r.add(round.get(system), round.get(reference));
        }
        return r;
    }

    /**
     * The per-round ratios {@code system / reference} of two systems measured by one {@link Harness}
     * run: the i-th sample of each is the i-th measured round's (a whole-process peer is measured in
     * the first rounds only: the rounds both were measured in); a reference sample of 0 is left out.
     */
    public static RoundRatios of(Stats system, Stats reference) {
        RoundRatios r = new RoundRatios();
        List<Double> s = system.samples();
        List<Double> ref = reference.samples();
        for (int i = 0; i < Math.min(s.size(), ref.size()); i++) {
            r.add(s.get(i), ref.get(i));
        }
        return r;
    }

    private void add(Double system, Double reference) {
        if (system != null && reference != null && reference > 0) {
            ratios.add(system / reference);
        }
    }

    public int count() {
        return ratios.size();
    }

    /** The per-round ratios as {@link Stats}; throws {@link IllegalStateException} when there are none. */
    public Stats stats() {
        Stats s = new Stats();
        ratios.forEach(s::add);
        return s;
    }

    /** The median of the per-round ratios; throws {@link IllegalStateException} when there are none. */
    public double median() {
        return stats().median();
    }

    /** How sure the median of the per-round ratios is: {@link Stats#medianInterval} at 95%. */
    static final double CONFIDENCE = 0.95;

    /**
     * {@link #describe()}, then whether this run decides the target {@code median relation limit}:
     * {@code ; the median's 96% interval (the 4th to the 12th smallest of 15) 1.173..1.782 holds the limit
     * 1.300: not decided by this run}, or {@code ... lies on one side of the limit ...: decided by this
     * run}; the confidence is what the interval reaches (at least 95% when there are rounds enough).
     */
    public String describe(String relation, double limit) {
        Stats.MedianInterval i = stats().medianInterval(CONFIDENCE);
        int n = count();
        String which = i.from() == 1
                ? "all " + n + " rounds"
                : "the " + ordinal(i.from()) + " to the " + ordinal(i.to()) + " smallest of " + n;
        return describe() + "; the median's " + (long) Math.floor(i.confidence() * 100 + 1e-9) + "% interval (" + which
                + ") " + Report.fmt(i.low()) + ".." + Report.fmt(i.high())
                + (i.decides(relation, limit)
                        ? " lies on one side of the limit " + Report.fmt(limit) + ": decided by this run"
                        : " holds the limit " + Report.fmt(limit) + ": not decided by this run");
    }

    private static String ordinal(int k) {
        int tens = k % 100;
        String suffix = tens >= 11 && tens <= 13
                ? "th"
                : switch (k % 10) {
                    case 1 -> "st";
                    case 2 -> "nd";
                    case 3 -> "rd";
                    default -> "th";
                };
        return k + suffix;
    }

    /** {@code median=.. min=.. max=.. rounds=.. (r1 r2 ...)}, in round order. */
    public String describe() {
        Stats s = stats();
        StringJoiner each = new StringJoiner(" ", "(", ")");
        ratios.forEach(v -> each.add(Report.fmt(v)));
        return "median=" + Report.fmt(s.median()) + " min=" + Report.fmt(s.min()) + " max=" + Report.fmt(s.max())
                + " rounds=" + s.count() + " " + each;
    }
}
