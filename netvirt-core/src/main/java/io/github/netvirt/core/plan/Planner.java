package io.github.netvirt.core.plan;

import io.github.netvirt.core.spec.Adoption;
import io.github.netvirt.core.spec.DeviceSpec;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.RouteSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.core.spec.VxlanSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a {@link TopologySpec} into steps: namespaces, then devices (a macvlan or vxlan after
 * its lower device), their MTU and MAC, masters, up, addresses, routes, forwarding.
 */
public final class Planner {
    private final TopologySpec spec;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Integer> nsStep = new HashMap<>();
    /** "ns/dev" of both veth ends -> the step that creates it. */
    private final Map<String, Integer> created = new HashMap<>();

    private Planner(TopologySpec spec) {
        this.spec = spec;
    }

    public static Plan plan(TopologySpec spec) {
        Planner p = new Planner(spec);
        p.build();
        return new Plan(spec, p.steps);
    }

    private void build() {
        for (NamespaceSpec n : spec.namespaces()) {
            if (!n.root() && !n.adopted()) {
                String k = kernelName(n.name());
                nsStep.put(n.name(), add(Action.NS_ADD, n.name(), null, null, null, Set.of(),
                        List.of("ip netns add " + quote(k), ip(n.name()) + "link set dev lo up")));
            }
        }
        List<DeviceSpec> devices = new ArrayList<>();
        for (NamespaceSpec n : spec.namespaces()) {
            for (DeviceSpec d : n.devices()) {
                if (!d.isVeth() || d.creator()) {
                    devices.add(d);
                }
            }
        }
        devices.sort(Comparator.comparingInt(this::depth)); // stable: declaration order within a depth
        for (DeviceSpec d : devices) {
            Set<Integer> needs = new HashSet<>(nsNeeds(d.ns()));
            if (d.isVeth()) {
                needs.addAll(nsNeeds(d.peerNs()));
            }
            if (d.lower() != null) {
                needs.add(created.get(key(d.ns(), d.lower())));
            }
            int i = add(Action.LINK_ADD, d.ns(), d, null, null, needs, d.quiet()
                    ? List.of(linkAdd(d), "ip netns exec " + quote(kernelName(d.ns())) + " sysctl -qw net/ipv6/conf/"
                            + d.name() + "/disable_ipv6=1")
                    : List.of(linkAdd(d)));
            created.put(key(d.ns(), d.name()), i);
            if (d.isVeth()) {
                created.put(key(d.peerNs(), d.peerName()), i);
            }
        }
        List<DeviceSpec> all = new ArrayList<>();
        for (NamespaceSpec n : spec.namespaces()) {
            all.addAll(n.devices());
        }
        for (DeviceSpec d : all) {
            // other kinds get their MTU and address in the request that creates them
            if (d.kind() == Kind.TAP && (d.mtu() > 0 || d.mac() != null)) {
                String cmd = ip(d.ns()) + "link set dev " + d.name() + (d.mtu() > 0 ? " mtu " + d.mtu() : "")
                        + (d.mac() != null ? " address " + d.mac() : "");
                add(Action.LINK_SET, d.ns(), d, null, null, Set.of(createdBy(d)), List.of(cmd));
            }
        }
        for (DeviceSpec d : all) {
            if (d.master() != null) {
                add(Action.LINK_MASTER, d.ns(), d, null, null,
                        Set.of(createdBy(d), created.get(key(d.ns(), d.master()))),
                        List.of(ip(d.ns()) + "link set dev " + d.name() + " master " + d.master()));
            }
        }
        for (DeviceSpec d : all) {
            if (d.up()) {
                add(Action.LINK_UP, d.ns(), d, null, null, Set.of(createdBy(d)),
                        List.of(ip(d.ns()) + "link set dev " + d.name() + " up"));
            }
        }
        for (DeviceSpec d : all) {
            for (IpPrefix a : d.addresses()) {
                add(Action.ADDR_ADD, d.ns(), d, a, null, Set.of(createdBy(d)),
                        List.of(ip(d.ns()) + "address add " + a + " dev " + d.name()));
            }
        }
        for (NamespaceSpec n : spec.namespaces()) {
            for (RouteSpec r : n.routes()) {
                Set<Integer> needs = new HashSet<>();
                for (Step s : steps) {
                    // the device's up and the addresses that make the gateway reachable
                    if (n.name().equals(s.ns()) && (s.action() == Action.LINK_UP || s.action() == Action.ADDR_ADD)
                            || s.device() != null && n.name().equals(s.device().ns())
                            && (s.action() == Action.LINK_UP || s.action() == Action.ADDR_ADD)) {
                        needs.add(s.index());
                    }
                }
                needs.addAll(nsNeeds(n.name()));
                add(Action.ROUTE_ADD, n.name(), null, null, r, needs, List.of(ip(n.name()) + "route add " + r.iproute2()));
            }
        }
        for (NamespaceSpec n : spec.namespaces()) {
            if (n.forwarding()) {
                add(Action.FORWARDING, n.name(), null, null, null, nsNeeds(n.name()),
                        List.of("ip netns exec " + quote(kernelName(n.name()))
                                + " sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1"));
            }
        }
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
        return created.get(key(d.ns(), d.name()));
    }

    private Set<Integer> nsNeeds(String ns) {
        Integer i = nsStep.get(ns);
        return i == null ? Set.of() : Set.of(i);
    }

    private int add(Action a, String ns, DeviceSpec d, IpPrefix addr, RouteSpec r, Set<Integer> needs, List<String> cmds) {
        int i = steps.size();
        steps.add(new Step(i, a, ns, d, addr, r, needs, cmds));
        return i;
    }

    private static String settings(DeviceSpec d) {
        return (d.mtu() > 0 ? " mtu " + d.mtu() : "") + (d.mac() != null ? " address " + d.mac() : "");
    }

    private String linkAdd(DeviceSpec d) {
        String ip = ip(d.ns());
        if (d.kind() == Kind.TAP) {
            // iproute2 can only make a persistent tap; netvirt's is held open by the live topology
            return ip + "tuntap add dev " + d.name() + " mode tap";
        }
        return ip + "link add name " + d.name() + settings(d) + linkType(d);
    }

    private String linkType(DeviceSpec d) {
        switch (d.kind()) {
            case BRIDGE:
                return " type bridge";
            case VETH:
                String peer = "";
                if (!d.peerNs().equals(d.ns())) {
                    peer = " netns " + (TopologySpec.ROOT.equals(d.peerNs()) ? "1" : quote(netnsArg(d.peerNs())));
                }
                return " type veth peer name " + d.peerName() + settings(spec.device(d.peerNs(), d.peerName())) + peer;
            case MACVLAN:
                return " link " + d.lower() + " type macvlan mode " + d.macvlanMode().iproute2();
            case VXLAN:
                VxlanSpec v = d.vxlan();
                StringBuilder s = new StringBuilder(" type vxlan id " + v.vni());
                if (v.remote() != null) {
                    s.append(" remote ").append(IpPrefix.format(v.remote()));
                }
                if (v.group() != null) {
                    s.append(" group ").append(IpPrefix.format(v.group()));
                }
                if (v.local() != null) {
                    s.append(" local ").append(IpPrefix.format(v.local()));
                }
                if (v.lower() != null) {
                    s.append(" dev ").append(v.lower());
                }
                s.append(" dstport ").append(v.dstPort());
                return s.toString();
            default:
                throw new IllegalStateException(d.kind().toString());
        }
    }

    private String kernelName(String ns) {
        return spec.prefix() + ns;
    }

    private String ip(String ns) {
        return ipIn(spec, ns);
    }

    /** The iproute2 command prefix that runs {@code ip} in namespace {@code ns} of {@code spec}. */
    static String ipIn(TopologySpec spec, String ns) {
        if (TopologySpec.ROOT.equals(ns)) {
            return "ip ";
        }
        Adoption a = spec.namespace(ns).adoption();
        if (a != null && a.pid() != 0) {
            return "nsenter -t " + a.pid() + " -n ip ";
        }
        return "ip -n " + quote(netnsArg(spec, ns)) + " ";
    }

    private String netnsArg(String ns) {
        return netnsArg(spec, ns);
    }

    /** What iproute2 takes after {@code netns} or {@code -n} for namespace {@code ns}. */
    private static String netnsArg(TopologySpec spec, String ns) {
        Adoption a = spec.namespace(ns).adoption();
        if (a == null) {
            return spec.prefix() + ns;
        }
        String arg = a.iproute2();
        // an unnamed handle has nothing iproute2 could name: the placeholder says what it stands for
        return arg != null ? arg : "<" + ns + ": " + a + ">";
    }

    private static String key(String ns, String dev) {
        return ns + "\u0000" + dev;
    }

    static String quote(String s) {
        if (s.chars().allMatch(c -> Character.isLetterOrDigit(c) || "-_.+@=,%".indexOf(c) >= 0)) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

}
