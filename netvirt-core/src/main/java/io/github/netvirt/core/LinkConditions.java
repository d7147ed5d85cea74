package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netns.NetNamespace;
import java.nio.charset.StandardCharsets;

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
        ConditionedLink c =
                ConditionedLink.open(a, where(spec, d.ns()), la, b, where(spec, d.peerNs()), lb, seeded(d, condition));
        res.conditions.add(c);
        c.onHeal(() -> res.conditions.remove(c));
        return c;
    }

    /**
     * {@code condition} put on a live link by {@link Topology#condition}: a seed of 0 (as
     * {@link LinkCondition#NONE} has) stands for none, and gets the default of a condition declared on
     * {@code d}, so that two links do not lose the same frames.
     */
    static LinkCondition seeded(DeviceSpec d, LinkCondition condition) {
        return condition.seed() != 0
                ? condition
                : condition.withSeed(defaultSeed(d.ns(), d.name(), d.peerNs(), d.peerName()));
    }

    /**
     * The seed of a condition given none, on the veth end {@code ns/dev} whose peer is
     * {@code peerNs/peerDev}: derived from those names (FNV-1a), so runs repeat. Never 0.
     */
    static long defaultSeed(String ns, String dev, String peerNs, String peerDev) {
        long seed = 0xcbf29ce484222325L;
        for (byte b : (ns + "/" + dev + ">" + peerNs + "/" + peerDev).getBytes(StandardCharsets.UTF_8)) {
            seed = (seed ^ (b & 0xff)) * 0x100000001b3L;
        }
        return seed == 0 ? 1 : seed;
    }

    private static NetNamespace host(Resources res, String ns) {
        NetNamespace h = res.hosts.get(ns);
        if (h == null) {
            throw new IllegalStateException("namespace " + TopologySpec.label(ns) + " is not open");
        }
        return h;
    }

    /** How scripts name a namespace: as the topology's script does ({@link Iproute2#in}). */
    private static ConditionedLink.Where where(TopologySpec spec, String ns) {
        return new ConditionedLink.Where(
                TopologySpec.label(ns), Iproute2.in(spec, ns, "ip"), Iproute2.in(spec, ns, "tc"));
    }
}
