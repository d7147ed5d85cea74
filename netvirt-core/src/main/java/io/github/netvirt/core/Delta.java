package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps that take a live network from one spec to another: those the new plan has and the old
 * one had not, then the deletion of the routes, addresses, devices and namespaces the new spec no
 * longer has.
 */
final class Delta {
    private Delta() {}

    /**
     * The plan of what {@code after} adds to {@code before}: for the first IPv6 address or route, DAD
     * turned off in the namespaces there ({@link #dadOff}), before anything is made in them; then the
     * steps of {@code after}'s plan that {@code before}'s has not (the same action in the same
     * namespace by the same commands), renumbered; dependencies on steps already done are dropped.
     * Its spec is {@code after}.
     */
    static Plan of(Plan before, TopologySpec after) {
        Set<Key> done = new HashSet<>();
        for (Step s : before.steps()) {
            done.add(key(s));
        }
        Plan full = Planner.plan(after);
        TopologySpec was = before.spec();
        List<Step> steps = new ArrayList<>(dad(was, after));
        Map<String, Integer> dadIn = new HashMap<>();
        for (Step s : steps) {
            dadIn.put(s.ns(), s.index());
        }
        Map<Integer, Integer> renumbered = new HashMap<>();
        List<Step> kept = new ArrayList<>();
        for (Step s : full.steps()) {
            if (done.contains(key(s))) {
                continue;
            }
            renumbered.put(s.index(), steps.size() + kept.size());
            kept.add(s);
        }
        for (Step s : kept) {
            Set<Integer> needs = new HashSet<>();
            for (int n : s.needs()) {
                Integer i = renumbered.get(n);
                if (i != null) {
                    needs.add(i);
                }
            }
            // after DAD is off (on) where it makes a device: a veth's end in another namespace too
            Integer dadStep = dadIn.get(s.ns());
            if (dadStep != null) {
                needs.add(dadStep);
            }
            if (s.op() instanceof LinkAddStep add && add.device().isVeth()) {
                Integer peer = dadIn.get(add.device().peerNs());
                if (peer != null) {
                    needs.add(peer);
                }
            }
            steps.add(s.at(renumbered.get(s.index()), needs));
        }
        // then what after no longer has: routes, addresses, devices, namespaces last
        Set<String> gone = new HashSet<>();
        for (NamespaceSpec n : was.namespaces()) {
            if (after.findNamespace(n.name()).isEmpty()) {
                gone.add(n.name());
            }
        }
        for (NamespaceSpec n : was.namespaces()) {
            if (gone.contains(n.name())) {
                continue;
            }
            List<NamespaceRoute> stays = after.namespace(n.name()).routes();
            // those with a gateway first: a route without one may be what reaches it (Planner#reaches)
            for (NamespaceRoute r : n.routes()) {
                if (r.gateway() != null && !stays.contains(r)) {
                    steps.add(new Step(steps.size(), Set.of(), new RouteDelStep(was, r)));
                }
            }
            for (NamespaceRoute r : n.routes()) {
                if (r.gateway() == null && !stays.contains(r)) {
                    steps.add(new Step(steps.size(), Set.of(), new RouteDelStep(was, r)));
                }
            }
        }
        for (NamespaceSpec n : was.namespaces()) {
            if (gone.contains(n.name())) {
                continue;
            }
            NamespaceSpec now = after.namespace(n.name());
            for (DeviceSpec d : n.devices()) {
                List<IpPrefix> stays =
                        now.device(d.name()).map(DeviceSpec::addresses).orElse(null);
                // last added first: a subnet's secondary IPv4 addresses before its primary, which takes them along
                List<IpPrefix> addresses = new ArrayList<>(stays == null ? List.of() : d.addresses());
                Collections.reverse(addresses);
                for (IpPrefix a : addresses) {
                    if (!stays.contains(a)) {
                        steps.add(new Step(steps.size(), Set.of(), new AddrDelStep(was, d, a)));
                    }
                }
            }
        }
        for (NamespaceSpec n : was.namespaces()) {
            if (gone.contains(n.name())) {
                continue;
            }
            NamespaceSpec now = after.namespace(n.name());
            for (DeviceSpec d : n.devices()) {
                if (now.device(d.name()).isPresent() || d.isVeth() && !d.creator() && !gone.contains(d.peerNs())) {
                    continue; // kept, or the pair is deleted through its other end
                }
                steps.add(new Step(steps.size(), Set.of(), new LinkDelStep(was, d)));
            }
        }
        for (NamespaceSpec n : was.namespaces()) {
            if (gone.contains(n.name())) {
                steps.add(new Step(steps.size(), Set.of(), new NsDelStep(was, n)));
            }
        }
        return new Plan(after, steps, was);
    }

    /**
     * When {@code after} gives the IPv4-only {@code was} its first IPv6 address or route: a
     * {@link DadOffStep} for each namespace netvirt made that {@code after} keeps, naming the devices
     * the topology keeps there (the namespaces run DAD, {@link NsAddStep#noDad()}; those it makes get
     * it off from their {@link NsAddStep}); when it takes the last away, a {@link DadOnStep} for each
     * likewise; numbered from 0; else none.
     */
    private static List<Step> dad(TopologySpec was, TopologySpec after) {
        List<Step> steps = new ArrayList<>();
        boolean before = Planner.usesIpv6(was);
        if (before == Planner.usesIpv6(after)) {
            return steps;
        }
        for (NamespaceSpec n : was.namespaces()) {
            NamespaceSpec now = after.findNamespace(n.name()).orElse(null);
            if (n.root() || n.adopted() || now == null) {
                continue;
            }
            List<String> devices = new ArrayList<>();
            for (DeviceSpec d : n.devices()) {
                if (now.device(d.name()).isPresent()) {
                    devices.add(d.name());
                }
            }
            Op op = before ? new DadOnStep(after, n.name(), devices) : new DadOffStep(after, n.name(), devices);
            steps.add(new Step(steps.size(), Set.of(), op));
        }
        return steps;
    }

    /**
     * The steps of {@code delta} that add (all but {@link Action#ROUTE_DEL}, {@link Action#ADDR_DEL},
     * {@link Action#LINK_DEL} and {@link Action#NS_DEL}, which come last).
     */
    static Plan additions(Plan delta) {
        return new Plan(
                delta.spec(),
                delta.steps().stream()
                        .filter(s -> s.action() != Action.ROUTE_DEL
                                && s.action() != Action.ADDR_DEL
                                && s.action() != Action.LINK_DEL
                                && s.action() != Action.NS_DEL)
                        .toList(),
                delta.base());
    }

    /**
     * Steps are the same when they do the same in the same namespace by the same commands; a
     * namespace's creation is the same step whatever its commands (a change that adds the
     * topology's first IPv6 address changes them, {@link NsAddStep#noDad()}), for a namespace there
     * is never made again.
     */
    private record Key(Action action, String ns, List<String> commands) {}

    private static Key key(Step s) {
        return new Key(s.action(), s.ns(), s.action() == Action.NS_ADD ? List.of() : s.commands());
    }
}
