package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a {@link TopologySpec} into steps: namespaces, then devices (a bridge before its ports,
 * each created up and in its bridge where it can be, as {@code ip link add ... master BR up} does; a
 * tap's MTU and MAC and the other masters right after the device; a macvlan or vxlan after its lower
 * device's, and after a bridge's ports), the other ups, addresses, routes (one without a gateway
 * before the routes whose gateway it reaches), forwarding. Each step renders itself, as a kernel
 * request and as iproute2 commands.
 */
final class Planner {
    /** {@code RT_TABLE_DEFAULT}, looked up after main by the kernel's default rules. */
    private static final int DEFAULT_TABLE = 253;

    private final TopologySpec spec;
    private final List<Step> steps = new ArrayList<>();
    private final Map<String, Integer> nsStep = new HashMap<>();
    /** Both veth ends -> the step that creates it. */
    private final Map<DeviceKey, Integer> created = new HashMap<>();
    /** Each device made so far -> the last step that gives it what its creation does not ({@link #settle}). */
    private final Map<DeviceKey, Integer> settled = new HashMap<>();

    private Planner(TopologySpec spec) {
        this.spec = spec;
    }

    static Plan plan(TopologySpec spec) {
        Planner p = new Planner(spec);
        p.build();
        return new Plan(spec, p.steps);
    }

    private void build() {
        // arrays, not lists, for the passes below: an index into an array is one bytecode, an
        // iterator an object and two calls a step (the planner runs interpreted in the first applies)
        NamespaceSpec[] namespaces = spec.namespaces().toArray(new NamespaceSpec[0]);
        boolean ipv6 = usesIpv6(namespaces);
        for (NamespaceSpec n : namespaces) {
            if (!n.root() && !n.adopted()) {
                nsStep.put(n.name(), add(Set.of(), new NsAddStep(spec, n, ipv6)));
            }
        }
        List<DeviceSpec> devices = new ArrayList<>();
        List<DeviceSpec> every = new ArrayList<>();
        for (NamespaceSpec n : namespaces) {
            for (DeviceSpec d : n.devices()) {
                every.add(d);
                if (!d.isVeth() || d.creator()) {
                    devices.add(creatingEnd(d));
                }
            }
        }
        for (DeviceSpec d : inCreationOrder(devices)) {
            // a tap is opened, not created by a request: it joins and goes up by steps of their own
            Integer bridge =
                    d.master() == null || d.kind() == Kind.TAP ? null : created.get(new DeviceKey(d.ns(), d.master()));
            // made on its lower device once what it takes from that device is in force (settle)
            DeviceSpec lower = d.lower() == null ? null : spec.device(d.ns(), d.lower());
            Set<Integer> needs = needs(
                    nsStep.get(d.ns()),
                    d.isVeth() ? nsStep.get(d.peerNs()) : null,
                    lower == null ? null : settled.get(DeviceKey.of(lower)),
                    bridge);
            if (lower != null && lower.kind() == Kind.BRIDGE) {
                needs = withPortsOf(lower, needs);
            }
            int i = add(needs, new LinkAddStep(spec, d, bridge != null, d.up() && d.kind() != Kind.TAP));
            created.put(DeviceKey.of(d), i);
            settle(d, i, bridge != null);
            if (d.isVeth()) {
                created.put(new DeviceKey(d.peerNs(), d.peerName()), i);
                settle(spec.device(d.peerNs(), d.peerName()), i, false);
            }
        }
        DeviceSpec[] all = every.toArray(new DeviceSpec[0]);
        // the step that creates each device, looked up once; its request when it is the device's own
        // (a veth's other end goes up by a step of its own)
        int[] made = new int[all.length];
        LinkAddStep[] own = new LinkAddStep[all.length];
        for (int i = 0; i < all.length; i++) {
            DeviceSpec d = all[i];
            made[i] = createdBy(d);
            own[i] = steps.get(made[i]).op() instanceof LinkAddStep add && add.device() == d ? add : null;
        }
        for (int i = 0; i < all.length; i++) {
            DeviceSpec d = all[i];
            if (d.up() && (own[i] == null || !own[i].up())) {
                add(Set.of(made[i]), new UpStep(spec, d));
            }
        }
        for (int i = 0; i < all.length; i++) {
            DeviceSpec d = all[i];
            if (!d.addresses().isEmpty()) { // no iterator made for nothing
                for (IpPrefix a : d.addresses()) {
                    add(Set.of(made[i]), new AddrAddStep(spec, d, a));
                }
            }
        }
        for (NamespaceSpec n : namespaces) {
            if (n.routes().isEmpty()) {
                continue; // no iterator made for nothing
            }
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
            NamespaceRoute[] routes = n.routes().toArray(new NamespaceRoute[0]);
            int[] added = new int[routes.length];
            Arrays.fill(added, -1);
            for (int i = 0; i < routes.length; i++) {
                if (added[i] >= 0) {
                    continue;
                }
                Set<Integer> after = needs;
                if (routes[i].gateway() != null) {
                    // after the routes without a gateway that make it reachable, added first where declared later
                    for (int j = 0; j < routes.length; j++) {
                        if (reaches(routes[j], routes[i])) {
                            if (added[j] < 0) {
                                added[j] = add(needs, new RouteAddStep(spec, routes[j]));
                            }
                            after = after == needs ? new HashSet<>(needs) : after;
                            after.add(added[j]);
                        }
                    }
                }
                added[i] = add(after, new RouteAddStep(spec, routes[i]));
            }
        }
        for (NamespaceSpec n : namespaces) {
            if (n.forwarding()) {
                add(nsNeeds(n.name()), new ForwardingStep(spec, n.name()));
            }
        }
    }

    /**
     * After the step {@code made} that creates {@code d}: a tap's MTU and MAC, then (when it did not
     * join in {@code made}) its bridge, each by a step of its own right away, so that a device made on
     * {@code d} later takes them (a macvlan its lower device's MTU, and no larger one; a vxlan its
     * lower device's less the encapsulation; a passthru macvlan its MAC): {@link #settled} is the
     * last of them.
     */
    private void settle(DeviceSpec d, int made, boolean joined) {
        int last = made;
        // other kinds get their MTU and address in the request that creates them
        if (d.kind() == Kind.TAP && (d.mtu() > 0 || d.mac() != null)) {
            last = add(Set.of(last), new LinkSetStep(spec, d));
        }
        if (d.master() != null && !joined) {
            last = add(Set.of(last, created.get(new DeviceKey(d.ns(), d.master()))), new MasterStep(spec, d));
        }
        settled.put(DeviceKey.of(d), last);
    }

    /**
     * {@code needs} and the steps that joined {@code bridge}'s ports: a bridge's MTU is its ports'
     * smallest once they have joined, which a device made on it takes ({@link #inCreationOrder} makes
     * those ports first).
     */
    private Set<Integer> withPortsOf(DeviceSpec bridge, Set<Integer> needs) {
        Set<Integer> all = new HashSet<>(needs);
        for (DeviceSpec port : spec.namespace(bridge.ns()).devices()) {
            Integer joined = bridge.name().equals(port.master()) ? settled.get(DeviceKey.of(port)) : null;
            if (joined != null) {
                all.add(joined);
            }
        }
        return all;
    }

    /**
     * Whether route {@code device}, without a gateway, makes the gateway of route {@code via}
     * reachable as the kernel requires when it adds {@code via} (IPv4's {@code fib_check_nh}, IPv6's
     * {@code ip6_route_check_nh}): it covers the gateway, goes out of {@code via}'s device if that has
     * one, and is in {@code via}'s table or in one the default rules look up after it (main,
     * default; netvirt adds no route to local). A route with a gateway makes none reachable.
     */
    static boolean reaches(NamespaceRoute device, NamespaceRoute via) {
        return device.gateway() == null
                && via.gateway() != null
                && device.destination().contains(via.gateway())
                && (via.dev() == null || via.dev().equals(device.dev()))
                && (device.table() == via.table()
                        || device.table() == NamespaceRoute.MAIN_TABLE
                        || device.table() == DEFAULT_TABLE);
    }

    /**
     * Whether the topology has an IPv6 address or route: then the namespaces it makes run no
     * duplicate address detection ({@link NsAddStep}), which costs an IPv4-only topology nothing.
     */
    static boolean usesIpv6(TopologySpec spec) {
        return usesIpv6(spec.namespaces().toArray(new NamespaceSpec[0]));
    }

    private static boolean usesIpv6(NamespaceSpec[] namespaces) {
        for (NamespaceSpec n : namespaces) {
            for (DeviceSpec d : n.devices()) {
                if (!d.addresses().isEmpty()) { // no iterator made for nothing
                    for (IpPrefix a : d.addresses()) {
                        if (a.isIpv6()) {
                            return true;
                        }
                    }
                }
            }
            if (!n.routes().isEmpty()) {
                for (NamespaceRoute r : n.routes()) {
                    if (r.destination().isIpv6()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * The end of a veth pair its creating request is made from: the one in a namespace the topology
     * makes when the other is in the root or an adopted namespace, so that netvirt numbers it (the
     * kernel takes the peer's ifindex only when the request gives the end it creates one, which
     * netvirt never does outside its own namespaces, and numbers it from just above the last index it
     * chose itself there, maybe a removed device's); then the one that joins a bridge when the other
     * does not, so that it joins in its creation (the kernel takes IFLA_MASTER and IFF_UP for the end
     * the request creates, not for the peer, which is registered first: IFF_UP on it is refused with
     * ENOTCONN, IFLA_MASTER in its attributes ignored); otherwise the declared creator.
     */
    private DeviceSpec creatingEnd(DeviceSpec d) {
        if (!d.isVeth()) {
            return d;
        }
        DeviceSpec peer = spec.device(d.peerNs(), d.peerName());
        boolean made = madeHere(d.ns());
        if (made != madeHere(peer.ns())) {
            return made ? d : peer;
        }
        return d.master() == null && peer.master() != null ? peer : d;
    }

    /** Whether the topology makes namespace {@code ns} (neither the root nor an adopted one). */
    private boolean madeHere(String ns) {
        return nsStep.containsKey(ns);
    }

    /**
     * {@code devices} stably ordered by level (a macvlan or vxlan after its lower device, and after
     * that device's ports when it is a bridge), and within a level bridges before their ports (a veth
     * either of whose ends is one), which join in their creation or right after it; by bucket, not a
     * sort with a comparator that recomputes the levels (the planner runs interpreted in a program's
     * first applies).
     */
    private List<DeviceSpec> inCreationOrder(List<DeviceSpec> devices) {
        int[] key = new int[devices.size()];
        int max = 0;
        for (int i = 0; i < key.length; i++) {
            DeviceSpec d = devices.get(i);
            key[i] = 2 * level(d, 0) + (joins(d) ? 1 : 0);
            max = Math.max(max, key[i]);
        }
        List<DeviceSpec> ordered = new ArrayList<>(key.length);
        for (int k = 0; k <= max; k++) {
            for (int i = 0; i < key.length; i++) {
                if (key[i] == k) {
                    ordered.add(devices.get(i));
                }
            }
        }
        return ordered;
    }

    /**
     * Whether {@code d} or, a veth, its other end joins a bridge: made after the bridges of its level
     * (an end in the root or an adopted namespace joins by a step of its own, right after the creation).
     */
    private boolean joins(DeviceSpec d) {
        return d.master() != null
                || d.isVeth() && spec.device(d.peerNs(), d.peerName()).master() != null;
    }

    /** The distinct ones of step indexes {@code a} (nulls left out), as an immutable set that Step keeps as it is. */
    private static Set<Integer> needs(Integer... a) {
        int n = 0;
        for (Integer i : a) {
            boolean fresh = i != null;
            for (int j = 0; j < n && fresh; j++) {
                fresh = !a[j].equals(i);
            }
            if (fresh) {
                a[n++] = i;
            }
        }
        return switch (n) {
            case 0 -> Set.of();
            case 1 -> Set.of(a[0]);
            case 2 -> Set.of(a[0], a[1]);
            default -> Set.of(Arrays.copyOf(a, n));
        };
    }

    /**
     * 0 for a device on no lower device, else one above its lower device's level, or above the
     * highest of its ports' when that is a bridge (a bridge's MTU is its ports' smallest once they
     * have joined); a port on the bridge itself does not count. {@code hops} bounds the recursion.
     */
    private int level(DeviceSpec d, int hops) {
        if (d.lower() == null || hops > 64) {
            return 0;
        }
        DeviceSpec lower = spec.device(d.ns(), d.lower());
        int level = level(lower, hops + 1);
        if (lower.kind() == Kind.BRIDGE) {
            for (DeviceSpec port : spec.namespace(d.ns()).devices()) {
                if (lower.name().equals(port.master()) && !on(port, lower)) {
                    level = Math.max(level, level(port, hops + 1));
                }
            }
        }
        return level + 1;
    }

    /** Whether {@code d} is made on {@code lower}, directly or through other devices. */
    private boolean on(DeviceSpec d, DeviceSpec lower) {
        DeviceSpec cur = d;
        for (int hops = 0; cur.lower() != null && hops < 64; hops++) {
            if (cur.lower().equals(lower.name())) {
                return true;
            }
            cur = spec.device(cur.ns(), cur.lower());
        }
        return false;
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
