package io.github.netvirt.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which an apply carries out a plan's steps once its namespaces are made: in rounds, one
 * batch per namespace in each (pipelined in one datagram where the steps allow), each step in the
 * first round where every step it needs is done in an earlier round or comes before it in its own
 * namespace's batch. It depends on the plan alone, so an apply works it out while the kernel makes the
 * namespaces.
 */
final class Rounds {
    private Rounds() {}

    /**
     * The rounds of the first {@code limit} of {@code steps}, in order, each a batch of steps by
     * namespace (logical name), in the plan's order; the namespaces themselves ({@link NsAddStep}) are
     * made before and are in none.
     *
     * @throws IllegalStateException if no step left can go in a round (a dependency cycle in the plan)
     */
    static List<Map<String, List<Step>>> of(List<Step> steps, int limit) {
        int n = Math.min(limit, steps.size());
        // by step index (a step's place in the plan): carried out, and the namespace of the round it is in
        boolean[] done = new boolean[n];
        String[] planned = new String[n];
        List<Step> rest = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Step s = steps.get(i);
            if (s.op() instanceof NsAddStep) {
                done[i] = true;
            } else {
                rest.add(s);
            }
        }
        List<Map<String, List<Step>>> rounds = new ArrayList<>();
        while (!rest.isEmpty()) {
            Map<String, List<Step>> round = new LinkedHashMap<>();
            Set<String> blocked = new HashSet<>();
            List<Step> later = new ArrayList<>();
            for (Step s : rest) {
                String ns = s.ns();
                if (!blocked.contains(ns) && ready(s, ns, done, planned)) {
                    round.computeIfAbsent(ns, k -> new ArrayList<>()).add(s);
                    planned[s.index()] = ns;
                } else {
                    blocked.add(ns);
                    later.add(s);
                }
            }
            if (round.isEmpty()) {
                throw new IllegalStateException(
                        "plan has a dependency cycle at " + rest.get(0).describe());
            }
            for (List<Step> batch : round.values()) {
                for (Step s : batch) {
                    done[s.index()] = true;
                }
            }
            rounds.add(round);
            rest = later;
        }
        return rounds;
    }

    /** Whether every step {@code s} needs is done, or is in this round in {@code s}'s namespace before it. */
    private static boolean ready(Step s, String ns, boolean[] done, String[] planned) {
        for (int need : s.needs()) {
            if (!done[need] && !ns.equals(planned[need])) {
                return false;
            }
        }
        return true;
    }
}
