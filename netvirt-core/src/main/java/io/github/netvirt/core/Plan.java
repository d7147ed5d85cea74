package io.github.netvirt.core;

import io.github.netvirt.core.spec.TopologySpec;
import java.util.List;

/** A validated topology compiled into the ordered steps that build it. */
public final class Plan {
    private final TopologySpec spec;
    private final List<Step> steps;
    /** For a change's plan, the description the change starts from; null for a whole network's. */
    private final TopologySpec base;

    Plan(TopologySpec spec, List<Step> steps) {
        this(spec, steps, null);
    }

    Plan(TopologySpec spec, List<Step> steps, TopologySpec base) {
        this.spec = spec;
        this.steps = List.copyOf(steps);
        this.base = base;
    }

    public TopologySpec spec() {
        return spec;
    }

    public List<Step> steps() {
        return steps;
    }

    TopologySpec base() {
        return base;
    }

    /** A shell script of iproute2 commands that builds the same network (named namespaces, with the prefix). */
    public String toScript() {
        return Script.of(this);
    }

    /** A Mermaid flowchart (GitHub renders it) of the namespaces, devices and links. */
    public String toMermaid() {
        return Mermaid.of(spec);
    }

    /** One step per line. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (Step step : steps) {
            s.append(step.describe()).append('\n');
        }
        return s.toString();
    }
}
