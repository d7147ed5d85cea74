package io.github.netvirt.netlink;

import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Holds on the namespaces whose fds requests carry ({@code IFLA_NET_NS_FD}), from before the
 * requests are sent until their acks: a namespace closed meanwhile by another thread keeps its fd
 * (whose number would otherwise soon name another namespace) until then.
 */
final class NamespaceHolds implements AutoCloseable {
    private final List<NetNamespace.Hold> holds;

    private NamespaceHolds(List<NetNamespace.Hold> holds) {
        this.holds = holds;
    }

    /** @throws IllegalStateException if one of them is closed already (nothing is held then) */
    static NamespaceHolds of(Collection<NetNamespace> namespaces) {
        List<NetNamespace.Hold> holds = new ArrayList<>(namespaces.size());
        try {
            for (NetNamespace ns : namespaces) {
                holds.add(ns.hold());
            }
        } catch (RuntimeException e) {
            holds.forEach(NetNamespace.Hold::close);
            throw e;
        }
        return new NamespaceHolds(holds);
    }

    @Override
    public void close() {
        holds.forEach(NetNamespace.Hold::close);
    }
}
