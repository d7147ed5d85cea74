package io.github.netvirt.core;

import java.util.List;
import java.util.Set;

/**
 * One step of a {@link Plan}: {@link #action()} carried out through namespace {@link #ns()} (a
 * logical name). {@link #needs()} holds the indexes of earlier steps that must be done first;
 * {@link #commands()} are the iproute2 commands that do the same as the step's kernel request. Each
 * kind of step produces both from the same fields, so the script and the applied network cannot
 * drift apart. Steps are immutable.
 */
public sealed interface Step permits DeviceStep, NsAddStep, RouteAddStep, ForwardingStep, NsDelStep {

    /** The step's place in its plan, from 0. */
    int index();

    Action action();

    /** The logical name of the namespace the step's request is made in. */
    String ns();

    /** The indexes of the earlier steps this one waits for. */
    Set<Integer> needs();

    /** The iproute2 commands that do what this step does. */
    List<String> commands();

    /** A one-line description, e.g. {@code #5 LINK_ADD veth net0/net0-bridge peer bridge/bridge-net0}. */
    default String describe() {
        return "#" + index() + " " + action() + " " + KernelStep.of(this).subject();
    }
}
