package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.TbfSpec;

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

    /**
     * Link conditions: a rate alone as the tc commands that make its tbf; delay and loss as comments,
     * the netem form being what a kernel with netem gets; without netem netvirt relays the pair's
     * frames in the JVM, which no shell command can reproduce (the live {@code
     * ConditionedLink.toScript()} shows the tc commands it then used). Once a condition has found this
     * kernel without netem, only the relay is mentioned.
     */
    private static void conditions(TopologySpec spec, TopologySpec base, StringBuilder s) {
        Boolean hasNetem = ConditionedLink.netem(); // null until a condition found out
        for (var n : spec.namespaces()) {
            for (var d : n.devices()) {
                var c = d.condition();
                if (c == null || base != null && c.equals(conditionIn(base, n.name(), d.name()))) {
                    continue; // none, or a change's script: the link had it before
                }
                s.append("# link condition ")
                        .append(d.qualifiedName())
                        .append(" <-> ")
                        .append(d.qualifiedPeerName())
                        .append(", each direction: ")
                        .append(c)
                        .append(" (seed ")
                        .append(c.seed())
                        .append(")\n");
                String netem = (c.impairs()
                                ? " root netem " + c.toString().replaceFirst("^rate \\S+ ?", "")
                                : " root tbf rate " + c.bitsPerSecond() + "bit burst "
                                        + TbfSpec.defaultBurst(c.bitsPerSecond()) + " latency "
                                        + TbfSpec.DEFAULT_LATENCY.toMillis() + "ms")
                        .replaceAll("  +", " ");
                if (c.impairs() && Boolean.FALSE.equals(hasNetem)) {
                    s.append("#   this kernel has no netem: apply() relays the pair's frames in the JVM through a TAP"
                            + " next to each end (ConditionedLink.toScript() shows its tc commands)\n");
                    continue;
                }
                // a rate alone is a tbf, made the same by tc; delay and loss depend on the kernel (netem or the relay)
                for (String[] end : new String[][] {{n.name(), d.name()}, {d.peerNs(), d.peerName()}}) {
                    s.append(c.impairs() ? "#   " : "")
                            .append(Iproute2.in(spec, end[0], "tc"))
                            .append("qdisc add dev ")
                            .append(TopologySpec.shellWord(end[1]))
                            .append(netem)
                            .append('\n');
                }
                if (c.impairs()) {
                    s.append("#   (")
                            .append(c.bitsPerSecond() > 0 ? "rate: a tbf above the netem; " : "")
                            .append("without netem: a seeded relay in the JVM through a TAP next to each end)\n");
                }
            }
        }
    }
}
