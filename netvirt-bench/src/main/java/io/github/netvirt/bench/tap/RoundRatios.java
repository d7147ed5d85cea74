package io.github.netvirt.bench.tap;

import io.github.netvirt.bench.Report;
import io.github.netvirt.bench.Stats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A system's rate over a reference's, round by round: each round measures both within seconds of
 * each other, so the ratio of one round is not moved by what the rest of the machine did in
 * another. The median of these per-round ratios is what the targets compare; their spread says
 * how far one round can be trusted.
 */
final class RoundRatios {
    private final List<Double> ratios = new ArrayList<>();

    /**
     * The per-round ratios {@code system / reference} of {@code rounds} (one map of system -> rate
     * per round); rounds missing either system, or with a reference rate of 0, are left out.
     */
    static RoundRatios of(List<Map<String, Double>> rounds, String system, String reference) {
        RoundRatios r = new RoundRatios();
        for (Map<String, Double> round : rounds) {
            Double s = round.get(system);
            Double ref = round.get(reference);
            if (s != null && ref != null && ref > 0) {
                r.ratios.add(s / ref);
            }
        }
        return r;
    }

    int count() {
        return ratios.size();
    }

    /** The per-round ratios as {@link Stats}; throws {@link IllegalStateException} when there are none. */
    Stats stats() {
        Stats s = new Stats();
        ratios.forEach(s::add);
        return s;
    }

    /** {@code median=.. min=.. max=.. rounds=.. (r1 r2 ...)}, in round order. */
    String describe() {
        Stats s = stats();
        StringJoiner each = new StringJoiner(" ", "(", ")");
        ratios.forEach(v -> each.add(Report.fmt(v)));
        return "median=" + Report.fmt(s.median()) + " min=" + Report.fmt(s.min()) + " max=" + Report.fmt(s.max())
                + " rounds=" + s.count() + " " + each;
    }
}
