package io.github.netvirt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A system's time or rate over a reference's, round by round: each round measures both within
 * seconds of each other, so the ratio of one round is not moved by what the rest of the machine did
 * in another. The median of these per-round ratios is what the targets and their bounds compare;
 * their spread says how far one round can be trusted. Rounds measured in several JVMs ({@link
 * Forks}) are grouped by JVM: what the JIT compiled, and when, differs from one JVM to the next and
 * moves every round of it, so the JVM, not the round, is then the unit of the median and of its
 * interval (the median of each JVM's median).
 */
public final class RoundRatios {
    private final List<List<Double>> groups = new ArrayList<>();

    private RoundRatios() {
        groups.add(new ArrayList<>());
    }

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
     * Samples of several JVMs are paired JVM by JVM ({@link Stats#groups}).
     */
    public static RoundRatios of(Stats system, Stats reference) {
        RoundRatios r = new RoundRatios();
        List<List<Double>> s = system.groups();
        List<List<Double>> ref = reference.groups();
        if (s.size() != ref.size()) {
            throw new IllegalStateException(
                    "samples of " + s.size() + " and of " + ref.size() + " JVMs cannot be paired");
        }
        for (int g = 0; g < s.size(); g++) {
            if (g > 0) {
                r.groups.add(new ArrayList<>());
            }
            List<Double> a = s.get(g);
            List<Double> b = ref.get(g);
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                r.add(a.get(i), b.get(i));
            }
        }
        r.groups.removeIf(List::isEmpty);
        if (r.groups.isEmpty()) {
            r.groups.add(new ArrayList<>());
        }
        return r;
    }

    private void add(Double system, Double reference) {
        if (system != null && reference != null && reference > 0) {
            groups.get(groups.size() - 1).add(system / reference);
        }
    }

    public int count() {
        int n = 0;
        for (List<Double> g : groups) {
            n += g.size();
        }
        return n;
    }

    /** How many JVMs the rounds were measured in. */
    public int jvms() {
        return groups.size();
    }

    /** The per-round ratios as {@link Stats}, every JVM's together; throws {@link IllegalStateException} when there are none. */
    public Stats stats() {
        Stats s = new Stats();
        groups.forEach(g -> g.forEach(s::add));
        return s;
    }

    /** Each JVM's median of its per-round ratios, as {@link Stats}. */
    private Stats jvmMedians() {
        Stats s = new Stats();
        for (List<Double> g : groups) {
            Stats one = new Stats();
            g.forEach(one::add);
            s.add(one.median());
        }
        return s;
    }

    /**
     * The median of the per-round ratios (of several JVMs: the median of each JVM's median); throws
     * {@link IllegalStateException} when there are none.
     */
    public double median() {
        return jvms() > 1 ? jvmMedians().median() : stats().median();
    }

    /** How sure the median of the per-round ratios is: {@link Stats#medianInterval} at 95%. */
    static final double CONFIDENCE = 0.95;

    /**
     * {@link #describe()}, then whether this run decides the target {@code median relation limit}:
     * {@code ; the median's 96% interval (the 4th to the 12th smallest of 15) 1.173..1.782 holds the limit
     * 1.300: not decided by this run}, or {@code ... lies on one side of the limit ...: decided by this
     * run}; the confidence is what the interval reaches (at least 95% when there are rounds enough; with
     * fewer, an interval on one side is {@code too few rounds to decide}).
     * Of several JVMs, the interval is of the JVMs' medians ({@code the 2nd to the 8th smallest of 9 JVMs' medians}).
     */
    public String describe(String relation, double limit) {
        boolean byJvm = jvms() > 1;
        Stats.MedianInterval i = (byJvm ? jvmMedians() : stats()).medianInterval(CONFIDENCE);
        int n = byJvm ? jvms() : count();
        String of = byJvm ? n + " JVMs' medians" : String.valueOf(n);
        String which = i.from() == 1
                ? "all " + (byJvm ? of : n + " rounds")
                : "the " + ordinal(i.from()) + " to the " + ordinal(i.to()) + " smallest of " + of;
        return describe() + "; the median's " + (long) Math.floor(i.confidence() * 100 + 1e-9) + "% interval (" + which
                + ") " + Report.fmt(i.low()) + ".." + Report.fmt(i.high())
                + verdict(i, relation, limit, byJvm ? "JVMs" : "rounds");
    }

    /** What the interval {@code i} says of {@code median relation limit}. */
    private static String verdict(Stats.MedianInterval i, String relation, double limit, String units) {
        if (!i.decides(relation, limit)) {
            return " holds the limit " + Report.fmt(limit) + ": not decided by this run";
        }
        return " lies on one side of the limit " + Report.fmt(limit)
                + (i.confidence() < CONFIDENCE ? ": too few " + units + " to decide" : ": decided by this run");
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

    /**
     * {@code median=.. min=.. max=.. rounds=.. (r1 r2 ...)}, in round order; of several JVMs
     * {@code median=.. min=.. max=.. rounds=.. in 9 JVMs, each JVM's median (m1 m2 ...)}, in the order the JVMs ran.
     */
    public String describe() {
        Stats s = stats();
        StringJoiner each = new StringJoiner(" ", "(", ")");
        String head = "median=" + Report.fmt(median()) + " min=" + Report.fmt(s.min()) + " max=" + Report.fmt(s.max())
                + " rounds=" + s.count() + " ";
        if (jvms() > 1) {
            jvmMedians().samples().forEach(v -> each.add(Report.fmt(v)));
            return head + "in " + jvms() + " JVMs, each JVM's median " + each;
        }
        s.samples().forEach(v -> each.add(Report.fmt(v)));
        return head + each;
    }
}
