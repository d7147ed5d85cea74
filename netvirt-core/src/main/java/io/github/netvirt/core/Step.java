package io.github.netvirt.core;

import java.util.List;
import java.util.Set;

/**
 * One step of a {@link Plan}: {@link #action()} carried out through namespace {@link #ns()} (a
 * logical name). {@link #needs()} holds the indexes of earlier steps that must be done first;
 * {@link #commands()} are the iproute2 commands that do the same as the step's kernel request. Each
 * kind of step produces both from the same fields, so the script and the applied network cannot
 * drift apart. Immutable.
 */
public final class Step {
    private final int index;
    private final Set<Integer> needs;
    private final Op op;

    Step(int index, Set<Integer> needs, Op op) {
        this.index = index;
        this.needs = Set.copyOf(needs);
        this.op = op;
    }

    /** The step's place in its plan, from 0. */
    public int index() {
        return index;
    }

    /** The indexes of the earlier steps this one waits for. */
    public Set<Integer> needs() {
        return needs;
    }

    public Action action() {
        return op.action();
    }

    /** The logical name of the namespace the step's request is made in. */
    public String ns() {
        return op.ns();
    }

    /** The iproute2 commands that do what this step does. */
    public List<String> commands() {
        return op.commands();
    }

    /** A one-line description, e.g. {@code #5 LINK_ADD veth net0/net0-bridge peer bridge/bridge-net0}. */
    public String describe() {
        return "#" + index + " " + op.action() + " " + op.subject();
    }

    Op op() {
        return op;
    }

    /** The same step at another place of a plan ({@link Delta}). */
    Step at(int newIndex, Set<Integer> newNeeds) {
        return new Step(newIndex, newNeeds, op);
    }

    @Override
    public String toString() {
        return describe();
    }
}
