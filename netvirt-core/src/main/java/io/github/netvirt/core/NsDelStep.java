package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netns.NetNamespace;
import java.util.List;
import java.util.Optional;

/** Removes a namespace of the topology, as close() does, only in a change of a live topology. */
record NsDelStep(TopologySpec spec, NamespaceSpec namespace) implements NamespaceStep {

    @Override
    public List<String> commands() {
        return List.of(
                namespace.kernelName() != null
                        ? "ip netns del " + TopologySpec.shellWord(namespace.kernelName())
                        : "# ephemeral namespace " + ns() + ": released");
    }

    /** Hands the namespace's handles and taps over to {@link Kernel#released()}, torn down after the steps. */
    @Override
    public void carryOut(Kernel k) {
        Resources res = k.res();
        Resources gone = k.released();
        String ns = ns();
        synchronized (res.taps) { // an open tap would keep the namespace alive
            res.taps
                    .entrySet()
                    .removeIf(e -> e.getKey().ns().equals(ns) && gone.taps.put(e.getKey(), e.getValue()) == null);
        }
        NetNamespace host = res.hosts.get(ns);
        // a condition with an end there: its relay's TAP would keep the namespace alive too
        List<ConditionedLink> healing =
                res.conditions.stream().filter(c -> c.hasEndIn(host)).toList();
        res.conditions.removeAll(healing);
        gone.conditions.addAll(healing);
        Optional.ofNullable(res.hosts.remove(ns)).ifPresent(h -> gone.hosts.put(ns, h));
        Optional.ofNullable(res.handles.remove(ns)).ifPresent(h -> gone.handles.put(ns, h));
        Optional.ofNullable(res.named.remove(ns)).ifPresent(n -> gone.named.put(ns, n));
    }
}
