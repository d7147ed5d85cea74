package io.github.netvirt.core.plan;

/** Renders a plan as a shell script of iproute2 commands. */
final class Script {
    private Script() {
    }

    static String of(Plan plan) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# netvirt plan: ").append(plan.steps().size()).append(" steps");
        if (!plan.spec().prefix().isEmpty()) {
            s.append(", namespace prefix ").append(Planner.quote(plan.spec().prefix()));
        }
        if (plan.spec().ephemeral()) {
            s.append("\n# (netvirt makes these namespaces ephemeral; iproute2 can only make named ones)");
        }
        s.append("\nset -e\n");
        for (Step step : plan.steps()) {
            for (String c : step.commands()) {
                s.append(c).append('\n');
            }
        }
        return s.toString();
    }
}
