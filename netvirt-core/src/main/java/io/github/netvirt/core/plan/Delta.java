package io.github.netvirt.core.plan;

import io.github.netvirt.core.spec.TopologySpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The steps that take a live network from one spec to a larger one: those the larger plan has and the smaller one had not. */
public final class Delta {
    private Delta() {
    }

    /**
     * The plan of what {@code after} adds to {@code before}: the steps of {@code after}'s plan that
     * {@code before}'s has not (the same action in the same namespace by the same commands),
     * renumbered; dependencies on steps already done are dropped. Its spec is {@code after}.
     */
    public static Plan of(Plan before, TopologySpec after) {
        Set<String> done = new HashSet<>();
        for (Step s : before.steps()) {
            done.add(key(s));
        }
        Plan full = Planner.plan(after);
        Map<Integer, Integer> renumbered = new HashMap<>();
        List<Step> kept = new ArrayList<>();
        for (Step s : full.steps()) {
            if (done.contains(key(s))) {
                continue;
            }
            renumbered.put(s.index(), kept.size());
            kept.add(s);
        }
        List<Step> steps = new ArrayList<>();
        for (Step s : kept) {
            Set<Integer> needs = new HashSet<>();
            for (int n : s.needs()) {
                Integer i = renumbered.get(n);
                if (i != null) {
                    needs.add(i);
                }
            }
            steps.add(new Step(renumbered.get(s.index()), s.action(), s.ns(), s.device(), s.address(), s.route(),
                    needs, s.commands()));
        }
        return new Plan(after, steps);
    }

    private static String key(Step s) {
        return s.action() + "\u0000" + s.ns() + "\u0000" + String.join("\n", s.commands());
    }
}
