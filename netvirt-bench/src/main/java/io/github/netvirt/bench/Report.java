package io.github.netvirt.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The machine-readable output: {@code result <workload> <system> median_ms=.. min_ms=.. max_ms=.. runs=..}
 * per system, then {@code ratio <workload> <peer>/<netvirt>=..} per peer. Everything else is a
 * {@code #} comment line.
 */
public final class Report {
    /** Where an "out of reach" bound holds unless a caller says less: for any program on this machine. */
    public static final String ON_THIS_MACHINE = "on this machine even if netvirt added nothing";

    /**
     * Where an "out of reach" bound holds when the floor in netvirt's place makes its namespaces on
     * one thread and no floor that makes them on two, as netvirt does, stands beside it.
     */
    public static final String ONE_THREAD = "for a program that makes its namespaces on one thread, as the floor in"
            + " netvirt's place does (netvirt splits them over two)";

    private final PrintStream out;

    public Report(PrintStream out) {
        this.out = out;
    }

    public void note(String text) {
        out.println("# " + text);
        out.flush();
    }

    /** A free-form data line (not a comment), e.g. {@code memory ...}. */
    public void line(String head, String fields) {
        out.println(head + " " + fields);
        out.flush();
    }

    public static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : v >= 1 ? "%.3f" : "%.4f", v);
    }

    /** Result lines of one workload (unit "ms" or "fps"), then the ratio of every other system to {@code reference}. */
    public void workload(String workload, String unit, Map<String, Stats> bySystem, String reference) {
        for (Map.Entry<String, Stats> e : bySystem.entrySet()) {
            Stats s = e.getValue();
            out.println("result " + workload + " " + e.getKey() + " median_" + unit + "=" + fmt(s.median()) + " min_"
                    + unit + "=" + fmt(s.min()) + " max_" + unit + "=" + fmt(s.max()) + " runs=" + s.count());
        }
        ratios(workload, bySystem, reference);
        out.flush();
    }

    /** Ratio lines of every other system of {@code bySystem} against {@code reference} (no result lines). */
    public void ratios(String workload, Map<String, Stats> bySystem, String reference) {
        Stats ref = bySystem.get(reference);
        if (ref == null) {
            return;
        }
        for (Map.Entry<String, Stats> e : bySystem.entrySet()) {
            if (!e.getKey().equals(reference)) {
                out.println("ratio " + workload + " " + e.getKey() + "/" + reference + "="
                        + fmt(e.getValue().median() / ref.median()));
            }
        }
        out.flush();
    }

    /**
     * What a target's ratio would be if netvirt cost nothing over a floor measured in the same run,
     * as a comment line: {@code # bound <what>: <value> (<explanation>; <relation> <limit> reachable|out
     * of reach ...)}. {@code value} is the best the target's ratio can be on this machine.
     */
    public void bound(String what, double value, String relation, double limit, String explanation) {
        bound(what, value, relation, limit, explanation, ON_THIS_MACHINE);
    }

    /**
     * {@link #bound(String, double, String, double, String)} for a floor that bounds only some
     * programs: an unmet limit is {@code out of reach <outOfReach>} (e.g. {@code for a program that
     * ...}), a met one {@code reachable if netvirt added nothing}.
     */
    public void bound(String what, double value, String relation, double limit, String explanation, String outOfReach) {
        note("bound " + what + ": " + fmt(value) + " (" + explanation + "; target " + relation + " " + fmt(limit)
                + (meets(value, relation, limit)
                        ? " reachable if netvirt added nothing"
                        : " out of reach " + outOfReach)
                + ")");
    }

    /**
     * A target for which no floor measured in the same run gives a bound, as a comment line:
     * {@code # bound <what>: none (<why>)}.
     */
    public void noBound(String what, String why) {
        note("bound " + what + ": none (" + why + ")");
    }

    static boolean meets(double value, String relation, double limit) {
        return relation.equals("<=") ? value <= limit : relation.equals(">") ? value > limit : value >= limit;
    }

    /**
     * A target on the ratio {@code system / reference} of two systems measured in the same rounds: a
     * {@code # per-round <what>: median=.. min=.. max=.. rounds=.. (...); the median's 95% interval ...}
     * line ({@link RoundRatios#describe(String, double)}: whether this run decides the target), then the
     * {@link #target} on the median of the per-round ratios.
     */
    public void pairedTarget(String what, Stats system, Stats reference, String relation, double limit) {
        RoundRatios r = RoundRatios.of(system, reference);
        note("per-round " + what + ": " + r.describe(relation, limit));
        target(what, r.median(), relation, limit);
    }

    /**
     * A target check as a comment line:
     * {@code # target <what>: <value> <relation> <limit> -> met|MISSED (by <factor>x)}; the factor says
     * how far the value is from the limit, so that nobody has to work it out by hand.
     */
    public void target(String what, double value, String relation, double limit) {
        boolean met = meets(value, relation, limit);
        String by = "";
        if (!met && limit != 0 && value != 0) {
            double f = relation.equals("<=") ? value / limit : limit / value;
            by = " (by " + fmt(f) + "x)";
        }
        note("target " + what + ": " + fmt(value) + " " + relation + " " + fmt(limit) + " -> "
                + (met ? "met" : "MISSED" + by));
    }
}
