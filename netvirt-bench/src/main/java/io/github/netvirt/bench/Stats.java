package io.github.netvirt.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Samples of one measurement, in the order they were added (the {@link Harness} adds one per measured
 * round), and their median, min and max.
 */
public final class Stats {
    private final List<Double> samples = new ArrayList<>();

    public void add(double sample) {
        samples.add(sample);
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
