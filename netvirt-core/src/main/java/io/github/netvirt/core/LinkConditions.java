package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netns.NetNamespace;

/** Applies link conditions to a topology's veth pairs and keeps them in its {@link Resources}. */
final class LinkConditions {
    private LinkConditions() {}

    /** The conditions declared with the links, once every device exists and is up. */
    static void applyDeclared(TopologySpec spec, Resources res) {
        for (NamespaceSpec n : spec.namespaces()) {
            for (DeviceSpec d : n.devices()) {
                if (d.condition() != null) {
                    apply(spec, d, d.condition(), res);
                }
            }
        }
    }

    static ConditionedLink apply(TopologySpec spec, DeviceSpec d, LinkCondition condition, Resources res) {
        if (d.kind() != Kind.VETH) {
            throw new IllegalArgumentException(
                    d.qualifiedName() + " is a " + d.kind().iproute2() + ": link conditions apply to veth ends");
        }
        NetNamespace a = host(res, d.ns());
        NetNamespace b = host(res, d.peerNs());
        // in the root and adopted namespaces the names could be someone else's devices by now
        Link la = res.ownLink(spec, d.ns(), d.name());
        Link lb = res.ownLink(spec, d.peerNs(), d.peerName());
        ConditionedLink c = ConditionedLink.open(a, label(spec, d.ns()), la, b, label(spec, d.peerNs()), lb, condition);
        res.conditions.add(c);
        c.onHeal(() -> res.conditions.remove(c));
        return c;
    }

    private static NetNamespace host(Resources res, String ns) {
        NetNamespace h = res.hosts.get(ns);
        if (h == null) {
            throw new IllegalStateException("namespace " + TopologySpec.label(ns) + " is not open");
        }
        return h;
    }

    /** How scripts name a namespace: its kernel name ({@code tc -n NAME}), the logical one if it has none; null for the root one. */
    private static String label(TopologySpec spec, String ns) {
        if (TopologySpec.ROOT.equals(ns)) {
            return null;
        }
        String k = spec.namespace(ns).kernelName();
        return k != null ? k : ns;
    }
}
