package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.List;
import java.util.Set;

/** Makes a namespace (named under {@code /run/netns} when the spec says so) and brings its {@code lo} up. */
record NsAddStep(int index, Set<Integer> needs, TopologySpec spec, NamespaceSpec namespace) implements Step, KernelStep {

    NsAddStep {
        needs = Set.copyOf(needs);
    }

    @Override
    public Action action() {
        return Action.NS_ADD;
    }

    @Override
    public String ns() {
        return namespace.name();
    }

    @Override
    public List<String> commands() {
        return List.of("ip netns add " + Iproute2.quote(spec.prefix() + ns()), Iproute2.ip(spec, ns()) + "link set dev lo up");
    }

    /** Namespaces are made together, several per system call (see {@link Namespaces#provision}). */
    @Override
    public void carryOut(Kernel k) {
        throw new IllegalStateException("namespaces are made together by Namespaces.provision: " + describe());
    }

    @Override
    public Step at(int i, Set<Integer> n) {
        return new NsAddStep(i, n, spec, namespace);
    }

    @Override
    public String describe() {
        return KernelStep.head(this) + TopologySpec.label(ns());
    }

    @Override
    public String toString() {
        return describe();
    }
}
