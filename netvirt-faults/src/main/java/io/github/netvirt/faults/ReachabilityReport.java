package io.github.netvirt.faults;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** The result of {@link Reachability#pingAll}: every probe, and which pairs failed. */
public record ReachabilityReport(List<Probe> probes) {
    public ReachabilityReport {
        probes = List.copyOf(NonNull.elements(probes, "probes"));
    }

    public List<Probe> failures() {
        return probes.stream().filter(p -> !p.outcome().answered()).collect(Collectors.toList());
    }

    public boolean allReachable() {
        return failures().isEmpty();
    }

    /** True if the probe from {@code from} to the host named {@code to} was answered (by every address of it). */
    public boolean reachable(String from, String to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        List<Probe> pair = probes.stream()
                .filter(p -> p.from().equals(from) && p.target().equals(to))
                .collect(Collectors.toList());
        if (pair.isEmpty()) {
            throw new IllegalArgumentException("no probe from " + from + " to " + to + " in " + this);
        }
        return pair.stream().allMatch(p -> p.outcome().answered());
    }

    @Override
    public String toString() {
        List<Probe> failed = failures();
        if (failed.isEmpty()) {
            return "all " + probes.size() + " probes answered";
        }
        return failed.size() + " of " + probes.size() + " probes failed:\n  "
                + failed.stream().map(Probe::toString).collect(Collectors.joining("\n  "));
    }
}
