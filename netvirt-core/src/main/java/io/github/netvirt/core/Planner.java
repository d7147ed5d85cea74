package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a {@link TopologySpec} into steps: namespaces, then devices (a macvlan or vxlan after
 * its lower device, a bridge before its ports, each created up and in its bridge where it can be,
 * as {@code ip link add ... master BR up} does), a tap's MTU and MAC, the other masters and ups,
 * addresses, routes, forwarding. Each step renders itself, as a kernel request and as iproute2
 * commands.
 */
final class Planner {
    private final TopologySpec spec;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Integer> nsStep = new HashMap<>();
    /** Both veth ends -> the step that creates it. */
    private final Map<DeviceKey, Integer> created = new HashMap<>();
    /** Devices that join their bridge, and devices that go up, in the request that creates them. */
    private final Set<DeviceKey> joined = new HashSet<>();

    private final Set<DeviceKey> raised = new HashSet<>();

    private Planner(TopologySpec spec) {
        this.spec = spec;
    }

    static Plan plan(TopologySpec spec) {
        Planner p = new Planner(spec);
        p.build();
        return new Plan(spec, p.steps);
    }

    private void build() {
        for (NamespaceSpec n : spec.namespaces()) {
            if (!n.root() && !n.adopted()) {
                nsStep.put(n.name(), add(Set.of(), new NsAddStep(spec, n)));
            }
        }
        List<DeviceSpec> devices = new ArrayList<>();
        for (NamespaceSpec n : spec.namespaces()) {
            for (DeviceSpec d : n.devices()) {
                if (!d.isVeth() || d.creator()) {
                    devices.add(creatingEnd(d));
                }
            }
        }
        // stable: declaration order within a depth; bridges before their ports, which join in their creation
        devices.sort(Comparator.comparingInt(this::depth).thenComparing(d -> d.master() != null));
        for (DeviceSpec d : devices) {
            Set<Integer> needs = new HashSet<>(nsNeeds(d.ns()));
            if (d.isVeth()) {
                needs.addAll(nsNeeds(d.peerNs()));
            }
            if (d.lower() != null) {
                needs.add(created.get(new DeviceKey(d.ns(), d.lower())));
            }
            // a tap is opened, not created by a request: it joins and goes up by steps of their own
            Integer bridge =
                    d.master() == null || d.kind() == Kind.TAP ? null : created.get(new DeviceKey(d.ns(), d.master()));
            if (bridge != null) {
                needs.add(bridge);
                joined.add(DeviceKey.of(d));
            }
            if (d.up() && d.kind() != Kind.TAP) {
                raised.add(DeviceKey.of(d));
            }
            int i = add(needs, new LinkAddStep(spec, d, bridge != null, d.up() && d.kind() != Kind.TAP));
            created.put(DeviceKey.of(d), i);
            if (d.isVeth()) {
                created.put(new DeviceKey(d.peerNs(), d.peerName()), i);
            }
        }
        List<DeviceSpec> all = new ArrayList<>();
        for (NamespaceSpec n : spec.namespaces()) {
            all.addAll(n.devices());
        }
        for (DeviceSpec d : all) {
            // other kinds get their MTU and address in the request that creates them
            if (d.kind() == Kind.TAP && (d.mtu() > 0 || d.mac() != null)) {
                add(Set.of(createdBy(d)), new LinkSetStep(spec, d));
            }
        }
        for (DeviceSpec d : all) {
            if (d.master() != null && !joined.contains(DeviceKey.of(d))) {
                add(Set.of(createdBy(d), created.get(new DeviceKey(d.ns(), d.master()))), new MasterStep(spec, d));
            }
        }
        for (DeviceSpec d : all) {
            if (d.up() && !raised.contains(DeviceKey.of(d))) {
                add(Set.of(createdBy(d)), new UpStep(spec, d));
            }
        }
        for (DeviceSpec d : all) {
            for (IpPrefix a : d.addresses()) {
                add(Set.of(createdBy(d)), new AddrAddStep(spec, d, a));
            }
        }
        for (NamespaceSpec n : spec.namespaces()) {
            for (NamespaceRoute r : n.routes()) {
                Set<Integer> needs = new HashSet<>();
                for (Step s : steps) {
                    // the devices' up (some in their creation) and the addresses that make the gateway reachable
                    if (n.name().equals(s.ns())
                            && (s.action() == Action.LINK_UP
                                    || s.action() == Action.ADDR_ADD
                                    || s.action() == Action.LINK_ADD)) {
                        needs.add(s.index());
                    }
                }
                needs.addAll(nsNeeds(n.name()));
                add(needs, new RouteAddStep(spec, r));
            }
        }
        for (NamespaceSpec n : spec.namespaces()) {
            if (n.forwarding()) {
                add(nsNeeds(n.name()), new ForwardingStep(spec, n.name()));
            }
        }
    }

    /**
     * The end of a veth pair its creating request is made from: the one that joins a bridge when
     * the other does not, so that it joins in its creation (the kernel takes IFLA_MASTER and IFF_UP
     * for the end the request creates, not for the peer, which is registered first: IFF_UP on it is
     * refused with ENOTCONN, IFLA_MASTER in its attributes ignored); otherwise the declared creator.
     */
    private DeviceSpec creatingEnd(DeviceSpec d) {
        if (!d.isVeth() || d.master() != null) {
            return d;
        }
        DeviceSpec peer = spec.device(d.peerNs(), d.peerName());
        return peer.master() != null ? peer : d;
    }

    private int depth(DeviceSpec d) {
        int depth = 0;
        DeviceSpec cur = d;
        while (cur.lower() != null && depth < 64) {
            depth++;
            cur = spec.device(cur.ns(), cur.lower());
        }
        return depth;
    }

    private int createdBy(DeviceSpec d) {
        return created.get(DeviceKey.of(d));
    }

    private Set<Integer> nsNeeds(String ns) {
        Integer i = nsStep.get(ns);
        return i == null ? Set.of() : Set.of(i);
    }

    private int add(Set<Integer> needs, Op op) {
        steps.add(new Step(steps.size(), needs, op));
        return steps.size() - 1;
    }
}
