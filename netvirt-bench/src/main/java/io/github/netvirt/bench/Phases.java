package io.github.netvirt.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the time of one {@link Topo#up()} goes, phase by phase, for systems whose steps the bench
 * makes itself (the floor, netvirt-netlink): {@code mark("phase")} adds the time since the last
 * mark to that phase. {@link Harness} collects one sample per measured run.
 */
public final class Phases {
    private final Map<String, Double> current = new LinkedHashMap<>();
    private final Map<String, Stats> stats = new LinkedHashMap<>();
    private final List<Map<String, Double>> runs = new ArrayList<>();
    private long last;

    public void start() {
        start(System.nanoTime());
    }

    public void mark(String phase) {
        mark(phase, System.nanoTime());
    }

    /** {@link #start()} at {@code now} (System.nanoTime). */
    void start(long now) {
        current.clear();
        last = now;
    }

    /**
     * {@link #mark(String)} at {@code now} (System.nanoTime; not before the last mark): for marks
     * another thread took, replayed in their order by the thread that marks.
     */
    public void mark(String phase, long now) {
        current.merge(phase, (now - last) / 1e6, Double::sum);
        last = now;
    }

    /** Keeps the phases marked since {@link #start()} as one sample. */
    public void keep() {
        add(current);
        current.clear();
    }

    /** Keeps {@code run} (phase -> ms, in the order the phases happened) as one sample: a run another JVM measured ({@link Forks}). */
    void add(Map<String, Double> run) {
        for (Map.Entry<String, Double> e : run.entrySet()) {
            stats.computeIfAbsent(e.getKey(), k -> new Stats()).add(e.getValue());
        }
        runs.add(Collections.unmodifiableMap(new LinkedHashMap<>(run)));
    }

    /** The kept runs, each phase -> ms in the order the phases happened. */
    List<Map<String, Double>> runs() {
        return Collections.unmodifiableList(runs);
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

    /**
     * The median (ms) over the kept runs of one phase, or of several taken together (their sum in
     * each run), or NaN when none of them happened.
     */
    public double median(String... phases) {
        Stats st = new Stats();
        for (Map<String, Double> run : runs) {
            double sum = 0;
            boolean any = false;
            for (String p : phases) {
                Double ms = run.get(p);
                if (ms != null) {
                    sum += ms;
                    any = true;
                }
            }
            if (any) {
                st.add(sum);
            }
        }
        return st.count() == 0 ? Double.NaN : st.median();
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
