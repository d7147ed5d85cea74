package io.github.netvirt.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Samples of one measurement, in the order they were added (the {@link Harness} adds one per measured
 * round), and their median, min and max. Samples gathered in several JVMs ({@link Forks}) are kept
 * in groups, one per JVM, in the order the JVMs ran.
 */
public final class Stats {
    private final List<Double> samples = new ArrayList<>();
    /** The sample count at the end of each group ended so far; empty: one group. */
    private final List<Integer> groupEnds = new ArrayList<>();

    public void add(double sample) {
        samples.add(sample);
    }

    /** Ends the current group of samples: those added from now on are the next JVM's. */
    void endGroup() {
        groupEnds.add(samples.size());
    }

    /** The samples of each group, in order; one group when {@link #endGroup} was never called. */
    public List<List<Double>> groups() {
        List<List<Double>> all = new ArrayList<>(groupEnds.size() + 1);
        int from = 0;
        for (int end : groupEnds) {
            all.add(samples().subList(from, end));
            from = end;
        }
        if (from < samples.size() || all.isEmpty()) {
            all.add(samples().subList(from, samples.size()));
        }
        return all;
    }

    public int count() {
        return samples.size();
    }

    /** The samples in the order they were added. */
    public List<Double> samples() {
        return Collections.unmodifiableList(samples);
    }

    public double median() {
        List<Double> s = sorted();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * An interval that holds the median of what was sampled with probability {@code confidence} or
     * more, whatever its distribution: the k-th smallest and the k-th largest sample, for the largest
     * k that gives it (the count of samples below the median is binomial(n, 1/2)). With too few
     * samples for {@code confidence}, the smallest and largest sample, with the confidence they give.
     */
    public MedianInterval medianInterval(double confidence) {
        List<Double> s = sorted();
        int n = s.size();
        int k = 1;
        while (k < (n + 1) / 2 && coverage(n, k + 1) >= confidence) {
            k++;
        }
        return new MedianInterval(s.get(k - 1), s.get(n - k), coverage(n, k), k, n - k + 1);
    }

    /** How likely the k-th smallest and k-th largest of n samples hold the median: 1 - 2 P(B(n, 1/2) < k). */
    private static double coverage(int n, int k) {
        double below = 0;
        double term = Math.pow(0.5, n); // P(B = 0)
        for (int i = 0; i < k; i++) {
            below += term;
            term = term * (n - i) / (i + 1);
        }
        return Math.max(0, 1 - 2 * below);
    }

    /**
     * {@link #medianInterval}: from {@code low} to {@code high}, the {@code from}-th to the {@code to}-th
     * smallest sample, holding the median with probability {@code confidence}.
     */
    public record MedianInterval(double low, double high, double confidence, int from, int to) {
        /** Whether {@code median relation limit} holds, or fails, for every value of the interval. */
        public boolean decides(String relation, double limit) {
            return Report.meets(low, relation, limit) == Report.meets(high, relation, limit);
        }
    }

    public double min() {
        return sorted().get(0);
    }

    public double max() {
        List<Double> s = sorted();
        return s.get(s.size() - 1);
    }

    private List<Double> sorted() {
        if (samples.isEmpty()) {
            throw new IllegalStateException("no samples");
        }
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        return s;
    }
}
