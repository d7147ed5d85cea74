package io.github.netvirt.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time of one {@link Topo#up()} goes, phase by phase, for systems whose steps the bench
 * makes itself (the floor, netvirt-netlink): {@code mark("phase")} adds the time since the last
 * mark to that phase. {@link Harness} collects one sample per measured run.
 */
public final class Phases {
    private final Map<String, Double> current = new LinkedHashMap<>();
    private final Map<String, Stats> stats = new LinkedHashMap<>();
    private long last;

    public void start() {
        current.clear();
        last = System.nanoTime();
    }

    public void mark(String phase) {
        long now = System.nanoTime();
        current.merge(phase, (now - last) / 1e6, Double::sum);
        last = now;
    }

    /** Keeps the phases marked since {@link #start()} as one sample. */
    public void keep() {
        for (Map.Entry<String, Double> e : current.entrySet()) {
            stats.computeIfAbsent(e.getKey(), k -> new Stats()).add(e.getValue());
        }
        current.clear();
    }

    void drop() {
        current.clear();
    }

    /** "phase=median_ms ..." in the order the phases first happened. */
    public String summary() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Stats> e : stats.entrySet()) {
            s.append(' ')
                    .append(e.getKey())
                    .append('=')
                    .append(Report.fmt(e.getValue().median()));
        }
        return s.toString().trim();
    }

    /** The median (ms) of {@code phase} over the kept runs, or NaN when it never happened. */
    public double median(String phase) {
        Stats st = stats.get(phase);
        return st == null ? Double.NaN : st.median();
    }

    /** Every phase's median (ms) over the kept runs, in the order the phases first happened. */
    public Map<String, Double> medians() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Map.Entry<String, Stats> e : stats.entrySet()) {
            m.put(e.getKey(), e.getValue().median());
        }
        return m;
    }

    boolean isEmpty() {
        return stats.isEmpty();
    }
}
