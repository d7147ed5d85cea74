package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.TopologySpec;

/** Renders a plan as a shell script of iproute2 commands. */
final class Script {
    private Script() {}

    static String of(Plan plan) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# netvirt plan: ").append(plan.steps().size()).append(" steps");
        if (!plan.spec().prefix().isEmpty()) {
            s.append(", namespace prefix ")
                    .append(TopologySpec.shellWord(plan.spec().prefix()));
        }
        if (plan.spec().ephemeral()) {
            s.append("\n# (netvirt makes these namespaces ephemeral; iproute2 can only make named ones)");
        }
        if (hasTap(plan)) {
            s.append(
                    "\n# (iproute2 makes a tap persistent and with no program on it: no carrier, and a bridge"
                            + "\n# port it is stays disabled until a program opens it; netvirt's taps are held open by the topology)");
        }
        s.append("\nset -e\n");
        for (Step step : plan.steps()) {
            for (String c : step.commands()) {
                s.append(c).append('\n');
            }
        }
        conditions(plan.spec(), plan.base(), s);
        return s.toString();
    }

    /** Whether {@code plan} makes a tap (a change's script speaks of those it adds only). */
    private static boolean hasTap(Plan plan) {
        for (Step s : plan.steps()) {
            if (s.op() instanceof LinkAddStep add && add.device().kind() == Kind.TAP) {
                return true;
            }
        }
        return false;
    }

    private static LinkCondition conditionIn(TopologySpec spec, String ns, String dev) {
        return spec.findNamespace(ns)
                .flatMap(n -> n.device(dev))
                .map(DeviceSpec::condition)
                .orElse(null);
    }

    /** Link conditions ({@link ConditionStep#commands}), but those a change's links had before. */
    private static void conditions(TopologySpec spec, TopologySpec base, StringBuilder s) {
        for (var n : spec.namespaces()) {
            for (var d : n.devices()) {
                var c = d.condition();
                if (c == null || base != null && c.equals(conditionIn(base, n.name(), d.name()))) {
                    continue; // none, or a change's script: the link had it before
                }
                new ConditionStep(spec, d)
                        .commands()
                        .forEach(line -> s.append(line).append('\n'));
            }
        }
    }
}
