package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Address;
import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.DownedLink;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.MacAddress;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Route;
import io.github.netvirt.netlink.RouteSpec;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.sys.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Changes to a live topology ({@link Topology#change()}): a builder that already holds the live
 * description, the check that the new description only adds to it (or removes devices, namespaces,
 * addresses and routes), and the transactional apply of the difference. What a change may add: namespaces,
 * devices (in new or existing namespaces, bridge ports of existing bridges and taps included),
 * addresses (also on devices that are there), routes (also through devices that are there), and
 * forwarding on a namespace that is there. Every device it makes in an existing namespace carries
 * a device group from its creating request (the topology's own in the root and adopted namespaces,
 * one of the change's elsewhere, put back to the default group once the change is done); a tap goes
 * with its file descriptor. On failure the change undoes
 * what it did, in this order: closes the taps it opened, deletes the routes it added to what was
 * there (those whose add the kernel echoed), sets DAD and forwarding back, deletes the addresses it
 * added to what was there (those the kernel lists and did not list before), deletes
 * its devices by group and ifindex and removes its new namespaces: the network is as it was.
 */
final class LiveChange {

    private LiveChange() {}

    /** A builder holding {@code live}'s description, whose {@code apply()} changes {@code live}. */
    static TopologyBuilder builder(Topology live) {
        TopologySpec spec = live.spec();
        TopologyBuilder b = new TopologyBuilder();
        b.live = live;
        b.base = spec;
        b.prefix(spec.prefix());
        if (spec.ephemeral()) {
            b.ephemeral();
        }
        for (NamespaceSpec n : spec.namespaces()) {
            enter(b, n);
            if (n.forwarding()) {
                b.forwarding();
            }
            n.devices().forEach(b::declare);
        }
        for (NamespaceSpec n : spec.namespaces()) {
            enter(b, n);
            for (DeviceSpec d : n.devices()) {
                b.dev(d.name());
                if (d.mtu() > 0) {
                    b.mtu(d.mtu());
                }
                if (d.mac() != null) {
                    b.mac(d.mac().toString());
                }
                if (d.queues() > 0) {
                    b.queues(d.queues());
                }
                if (!d.up()) {
                    b.down();
                }
                if (d.master() != null) {
                    b.master(d.master());
                }
                if (d.quiet()) {
                    b.quiet();
                }
                LinkCondition c = d.condition();
                if (c != null) {
                    b.rate(c.bitsPerSecond())
                            .delay(c.delay())
                            .jitter(c.jitter())
                            .loss(c.loss())
                            .conditionSeed(c.seed());
                }
                d.addresses().forEach(a -> b.addr(a.toString()));
            }
            for (NamespaceRoute r : n.routes()) {
                b.route(r.destination().toString(), r.gateway() == null ? null : IpPrefix.format(r.gateway()), r.dev());
                if (r.metric() != NamespaceRoute.defaultMetric(r.destination())) {
                    b.metric(r.metric());
                }
                if (r.table() != NamespaceRoute.MAIN_TABLE) {
                    b.table(r.table());
                }
            }
        }
        b.enterNothing(); // an addr(...), route(...), metric(...) first in the change is not the last replayed one's
        return b;
    }

    /**
     * Refuses removing a subnet's primary IPv4 address while another address on its subnet (same
     * prefix length and network) stays on the device: one the description keeps, one the change
     * adds (it adds before it deletes), or one the kernel lists that the topology did not add. The
     * kernel deletes a primary's secondaries with it, which would leave the kernel and the
     * description apart, unless promote_secondaries is set for the device in its namespace: then one
     * of them takes the primary's place and the rest stay. Which address is the primary is the
     * kernel's to say (the one listed without {@code IFA_F_SECONDARY}: the first added), so it is
     * read there; a secondary is deleted alone.
     */
    private static void checkAddressRemovals(
            TopologySpec before, DeviceSpec was, DeviceSpec now, Resources res, List<String> problems) {
        List<IpPrefix> removed = was.addresses().stream()
                .filter(a -> a.isIpv4() && !now.addresses().contains(a))
                .toList();
        if (removed.isEmpty()) {
            return;
        }
        OptionalInt index = res.ownIndex(before, was.ns(), was.name());
        if (index.isEmpty()) {
            return; // no address of it is deleted (AddrDelStep)
        }
        List<Address> listed = res.handle(was.ns()).addrList().stream()
                .filter(l -> l.index() == index.getAsInt() && l.isIpv4())
                .toList();
        Boolean promotes = null;
        String named = was.name();
        for (IpPrefix a : removed) {
            if (listed.stream().noneMatch(l -> l.prefix().equals(a) && !l.isSecondary())) {
                continue;
            }
            Optional<IpPrefix> kept =
                    now.addresses().stream().filter(o -> sameSubnet(o, a)).findFirst();
            Optional<IpPrefix> other = kept.or(() -> listed.stream()
                    .map(Address::prefix)
                    .filter(o -> sameSubnet(o, a) && !removed.contains(o))
                    .findFirst());
            if (other.isEmpty()) {
                continue;
            }
            if (promotes == null) {
                // by the name the device has now: in the root or an adopted namespace someone may have
                // renamed it and given its name to another device
                named = res.ownLink(before, was.ns(), was.name()).name();
                promotes = Sysctls.of(res.hosts.get(was.ns())).promoteSecondaries(named);
            }
            if (promotes) {
                continue;
            }
            boolean added = kept.isPresent() && !was.addresses().contains(kept.get());
            problems.add("device " + was.qualifiedName() + ": removeAddr(\"" + a + "\"): " + other.get()
                    + (added ? " is added" : kept.isPresent() ? " stays" : " (not the topology's) stays")
                    + " on the same subnet, and " + a + " is its primary address (the kernel deletes a primary's"
                    + " secondary addresses with it, net.ipv4.conf." + named + ".promote_secondaries being"
                    + " off): remove only the subnet's secondary addresses, or all of them"
                    + (added ? ", and add the new one in a change of its own" : ""));
        }
    }

    /**
     * Refuses a route the change adds through a device that a down of this JVM holds down
     * ({@link Topology#down}, a {@code LinkCut} of netvirt-faults: {@link DownedLink}): the kernel
     * takes no route through a device that is down, whatever its form ({@code dev}, a gateway on its
     * subnet, whose prefix route went with the down, or {@code onlink}: "Nexthop device is not up").
     * A gateway also on the subnet of a device that is up is reached through that one.
     */
    private static void checkDownedRoute(
            Topology live,
            Resources res,
            TopologySpec before,
            NamespaceSpec n,
            NamespaceRoute r,
            String label,
            List<String> problems) {
        String device = null;
        String why = null;
        if (r.dev() != null) {
            device = r.dev();
            why = heldDown(live, res, before, n.name(), r.dev());
        } else if (r.gateway() != null) {
            for (DeviceSpec d : n.devices()) {
                if (d.addresses().stream().noneMatch(a -> a.contains(r.gateway()))) {
                    continue;
                }
                String held = heldDown(live, res, before, n.name(), d.name());
                if (held == null && d.up()) {
                    return; // reached through this one (one declared down() is reported by validation)
                } else if (held != null && why == null) {
                    device = d.name();
                    why = held;
                }
            }
        }
        if (why != null) {
            problems.add(label + ": route " + r.iproute2() + ": "
                    + (r.dev() == null
                            ? "gateway " + IpPrefix.format(r.gateway()) + " is only on a subnet of " + device + ", and "
                            : "")
                    + "device " + device + " is down: " + why + " (the kernel would refuse the route)");
        }
    }

    /** Why device {@code dev} of namespace {@code ns}, there before the change, is held down now, or null. */
    private static String heldDown(Topology live, Resources res, TopologySpec before, String ns, String dev) {
        if (before.findNamespace(ns).flatMap(w -> w.device(dev)).isEmpty()) {
            return null; // the change makes it
        }
        if (live.isDowned(ns, dev)) {
            return "Topology.down(\"" + ns + "\", \"" + dev + "\") set it down; up() it first";
        }
        OptionalInt index = res.ownIndex(before, ns, dev);
        if (index.isPresent() && DownedLink.isHeld(res.handle(ns).namespace(), index.getAsInt())) {
            return "a down of this JVM other than Topology.down() holds it down (a LinkCut of netvirt-faults, a"
                    + " DownedLink); heal it first";
        }
        return null;
    }

    private static boolean sameSubnet(IpPrefix a, IpPrefix b) {
        return a.isIpv4()
                && b.isIpv4()
                && a.prefixLength() == b.prefixLength()
                && a.network().equals(b.network());
    }

    /**
     * Refuses device {@code d}, which a change adds to namespace {@code ns}, named as the TAP a link
     * condition's relay put there ({@link ConditionedLink}, {@code nvcN}): the topology's own, which
     * its description does not list.
     */
    private static void checkRelayTapName(Resources res, String ns, DeviceSpec d, List<String> problems) {
        NetNamespace host = res.hosts.get(ns);
        if (host == null) {
            return; // a namespace the change makes
        }
        for (ConditionedLink c : res.conditions) {
            String end = c.endBesideRelayTap(host, d.name());
            if (end != null) {
                problems.add("device " + d.qualifiedName() + ": " + d.name() + " is the relay TAP of the link"
                        + " condition on " + end + " (the topology's own, made beside that end): a device the change"
                        + " makes needs another name");
            }
        }
    }

    /**
     * What a change's validation reads of {@code live} in the kernel: the MACs the kernel gave its
     * devices, the routes to a destination that are not its own, and the device the kernel put each
     * of its routes declared without a device out of. A topology closed meanwhile, or a
     * device that is no longer the topology's, tells nothing: the change's apply says so.
     */
    static Validator.Kernel kernel(Topology live) {
        return new Validator.Kernel() {
            @Override
            public MacAddress mac(String ns, String dev) {
                try {
                    return live.link(ns, dev).macAddress().orElse(null);
                } catch (IllegalStateException | NoSuchElementException | NetlinkException e) {
                    return null;
                }
            }

            @Override
            public String routeOutput(NamespaceRoute route) {
                try {
                    return live.routeOutput(route);
                } catch (IllegalStateException | NoSuchElementException | NetlinkException e) {
                    return null;
                }
            }

            @Override
            public List<IpPrefix> ipv4Addresses(String ns, String dev) {
                try {
                    int index = live.link(ns, dev).index();
                    return live.addrList(ns).stream()
                            .filter(a -> a.index() == index && a.prefix().isIpv4())
                            .map(Address::prefix)
                            .toList();
                } catch (IllegalStateException | NoSuchElementException | NetlinkException e) {
                    return null;
                }
            }

            @Override
            public String firstOnSubnet(String ns, IpPrefix subnet) {
                try {
                    for (Route r : live.netlink(ns).routeList(NamespaceRoute.MAIN_TABLE)) {
                        if (r.destination().equals(subnet) && r.gateway() == null && r.outputIndex() != 0) {
                            return live.netlink(ns)
                                    .linkGet(r.outputIndex())
                                    .map(Link::name)
                                    .orElse(null);
                        }
                    }
                    return null;
                } catch (IllegalStateException | NoSuchElementException | NetlinkException e) {
                    return null;
                }
            }

            @Override
            public List<String> otherRoutesTo(String ns, IpPrefix destination) {
                try {
                    List<NamespaceRoute> own = live.spec().namespace(ns).routes();
                    List<String> others = new ArrayList<>();
                    Map<Integer, String> names = null;
                    for (Route r : live.netlink(ns).routeList()) {
                        if (!r.destination().equals(destination)
                                || own.stream()
                                        .anyMatch(o -> o.destination().equals(destination)
                                                && o.metric() == r.metric()
                                                && o.table() == r.table())) {
                            continue;
                        }
                        if (names == null) {
                            names = new HashMap<>();
                            for (Link l : live.linkList(ns)) {
                                names.put(l.index(), l.name());
                            }
                        }
                        others.add(described(ns, r, names));
                    }
                    return others;
                } catch (IllegalStateException | NoSuchElementException | NetlinkException e) {
                    return List.of();
                }
            }
        };
    }

    /** Route {@code r} of namespace {@code ns} as {@code ip route} shows it, in short. */
    private static String described(String ns, Route r, Map<Integer, String> names) {
        String type = r.type() > 1 && r.type() <= ROUTE_TYPES.length ? ROUTE_TYPES[r.type() - 1] + " " : "";
        String dev = r.outputIndex() == 0 ? null : names.getOrDefault(r.outputIndex(), "ifindex " + r.outputIndex());
        String proto = switch (r.protocol()) {
            case 2 -> "kernel";
            case 3 -> "boot";
            case 4 -> "static";
            case 9 -> "ra";
            default -> String.valueOf(r.protocol());
        };
        return type
                + new NamespaceRoute(ns, r.destination(), r.gateway(), dev, r.metric(), r.table()).iproute2()
                + (r.nexthops().isEmpty() ? "" : " (multipath)")
                + " proto " + proto;
    }

    /** {@code RTN_*} from 1 (unicast) on, as {@code ip route} names them. */
    private static final String[] ROUTE_TYPES = {
        "unicast", "local", "broadcast", "anycast", "multicast", "blackhole", "unreachable", "prohibit", "throw"
    };

    /** {@code d} with no addresses: what a change may not alter on a device that is there. */
    private static DeviceSpec withoutAddresses(DeviceSpec d) {
        return new DeviceSpec(
                d.ns(),
                d.name(),
                d.kind(),
                d.mtu(),
                d.mac(),
                d.queues(),
                d.up(),
                d.master(),
                List.of(),
                d.peerNs(),
                d.peerName(),
                d.creator(),
                d.lower(),
                d.settings(),
                d.quiet(),
                d.condition());
    }

    private static void enter(TopologyBuilder b, NamespaceSpec n) {
        if (n.root()) {
            b.root();
        } else if (!n.adopted()) {
            b.ns(n.name());
        } else if (b.adoptedAlready(n.name())) {
            b.ns(n.name());
        } else {
            b.adopt(n.name(), n.adoption()); // as it is: by pid, the process adoptPid found then
            b.adoptedLive(n.name());
        }
    }

    /**
     * The plan of what {@code after} adds to {@code live}'s description.
     *
     * @throws InvalidTopologyException if {@code after} changes or removes what is there, or adds
     *         what a change cannot add yet
     */
    static Plan delta(Topology live, Resources res, TopologySpec after) {
        TopologySpec before = live.spec();
        List<String> problems = new ArrayList<>();
        if (!before.prefix().equals(after.prefix()) || before.ephemeral() != after.ephemeral()) {
            problems.add("a change cannot change the topology's prefix or whether it is ephemeral");
        }
        for (NamespaceSpec was : before.namespaces()) {
            Optional<NamespaceSpec> remains = after.findNamespace(was.name());
            if (remains.isEmpty()) {
                continue;
            }
            NamespaceSpec now = remains.get();
            String label = "namespace " + TopologySpec.label(was.name());
            if (was.forwarding() && !now.forwarding()) {
                problems.add(label + ": a change cannot turn forwarding off (yet)");
            }
            for (DeviceSpec d : was.devices()) {
                if (now.device(d.name()).isEmpty()) {
                    continue;
                } else if (!withoutAddresses(now.device(d.name()).get()).equals(withoutAddresses(d))) {
                    problems.add("device " + d.qualifiedName() + ": a change cannot change a device that is"
                            + " there (yet) beyond its addresses: only add devices (to make it again otherwise,"
                            + " remove it in one change and declare it in the next)");
                } else {
                    checkAddressRemovals(before, d, now.device(d.name()).get(), res, problems);
                }
            }
            for (NamespaceRoute r : was.routes()) {
                // removeRoute(...): deleted only as the topology added it
                String other = now.routes().contains(r) ? null : RouteDelStep.notOurs(r, res, before);
                if (other != null) {
                    problems.add(label + ": route " + r.iproute2() + ": " + other);
                }
            }
            for (NamespaceRoute r : now.routes()) {
                if (!was.routes().contains(r)) {
                    checkDownedRoute(live, res, before, now, r, label, problems);
                }
            }
            for (DeviceSpec d : now.devices()) {
                if (was.device(d.name()).isPresent()) {
                    continue;
                }
                // a tap carries no group: it goes with its file descriptor
                if (d.kind() != Kind.TAP
                        && (was.root() && res.rootGroup == 0 || was.adopted() && res.adoptedGroup == 0)) {
                    problems.add("device " + d.qualifiedName() + ": a change cannot add the first device in"
                            + (was.root() ? " the root namespace" : " an adopted namespace")
                            + " (declare one when the topology is built)");
                }
            }
        }
        for (NamespaceSpec n : after.namespaces()) {
            for (DeviceSpec d : n.devices()) {
                boolean added = before.findNamespace(n.name())
                        .flatMap(w -> w.device(d.name()))
                        .isEmpty();
                if (added) {
                    checkRelayTapName(res, n.name(), d, problems);
                }
                if (added && d.condition() != null) {
                    problems.add("device " + d.qualifiedName() + ": a change cannot declare a link condition (yet):"
                            + " put it on the live link with Topology.condition(...) after the change");
                }
            }
            if (before.findNamespace(n.name()).isEmpty()) {
                if (n.adopted() || n.root()) {
                    problems.add("namespace " + TopologySpec.label(n.name()) + ": a change cannot adopt a namespace"
                            + " or enter the root namespace (yet)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidTopologyException(problems);
        }
        return Delta.of(live.plan(), after);
    }

    /**
     * Carries out {@code delta} on {@code res}, all of it or (on failure) none of it: the devices
     * it made in the namespaces that were there are deleted by group and ifindex, then the
     * namespaces it made are removed as by close(). {@code committed} runs once everything is
     * added, before the deletions (which are not undone, see {@link #remove}). The names it adds are
     * held ({@link NameClaims}) until it returns: an apply of this JVM that wants one fails meanwhile,
     * and a name another apply or change of this JVM holds fails this change (EEXIST) before anything.
     */
    static void apply(TopologySpec before, Plan delta, Resources res, ApplyOptions options, Runnable committed) {
        // held until the new names are taken or given back: another apply of this JVM fails meanwhile
        try (NameClaims.Claim names = NameClaims.claim(delta, "changing")) {
            applyClaimed(before, delta, res, options, committed);
        }
    }

    private static void applyClaimed(
            TopologySpec before, Plan delta, Resources res, ApplyOptions options, Runnable committed) {
        Map<String, Set<Integer>> indexesBefore = new HashMap<>();
        // the topology's groups too: as the change's, untag() would put its root or adopted devices in group 0
        Set<Integer> groupsInUse = new HashSet<>(List.of(res.rootGroup, res.adoptedGroup));
        for (Step s : delta.steps()) {
            if (!(s.op() instanceof LinkAddStep add)) {
                continue;
            }
            DeviceSpec d = add.device();
            List<String> where = new ArrayList<>(List.of(d.ns()));
            if (d.isVeth()) {
                where.add(d.peerNs());
            }
            for (String ns : where) {
                if (before.findNamespace(ns).isEmpty() || indexesBefore.containsKey(ns) || untagged(before, res, ns)) {
                    continue;
                }
                Set<Integer> seen = new HashSet<>();
                for (Link l : res.handle(ns).linkList()) {
                    seen.add(l.index());
                    groupsInUse.add(l.group());
                }
                indexesBefore.put(ns, seen);
            }
        }
        int tag = DeviceGroups.unused(groupsInUse);
        Map<String, Integer> tags = new HashMap<>();
        for (String ns : indexesBefore.keySet()) {
            NamespaceSpec was = before.namespace(ns);
            tags.put(ns, was.root() ? res.rootGroup : was.adopted() ? res.adoptedGroup : tag);
        }
        Plan additions = Delta.additions(delta);
        List<Step> removals =
                delta.steps().subList(additions.steps().size(), delta.steps().size());
        Set<DeviceKey> tapsBefore;
        synchronized (res.taps) {
            tapsBefore = new HashSet<>(res.taps.keySet());
        }
        // what the change adds to devices that were there
        List<AddrAddStep> addressesAdded = new ArrayList<>();
        List<RouteAddStep> routesAdded = new ArrayList<>();
        res.addressesMade.clear(); // the change's own adds prove theirs from here on
        res.forwardingOverwritten.clear();
        // the ifindex of each device an address is added to, proven the topology's as its step proves it
        // (Resources#ownLink): in the root and adopted namespaces its name may be another's by the rollback
        Map<DeviceKey, OptionalInt> devicesBefore = new HashMap<>();
        // the accept_dad values a DadStep writes, by namespace (the first IPv6 address or route, or the last)
        Map<String, Map<String, String>> dadBefore = new HashMap<>();
        for (Step s : additions.steps()) {
            if (s.op() instanceof AddrAddStep a
                    && existed(before, s.ns(), a.device().name())) {
                devicesBefore.computeIfAbsent(DeviceKey.of(a.device()), d -> res.ownIndex(before, d.ns(), d.dev()));
                addressesAdded.add(a);
            } else if (s.op() instanceof RouteAddStep r
                    && existed(before, s.ns(), r.route().dev())) {
                routesAdded.add(r);
            } else if (s.op() instanceof DadStep d) {
                dadBefore.put(s.ns(), Sysctls.of(res.hosts.get(s.ns())).acceptDad(d.devicesNow(res)));
            }
        }
        try {
            Applier.change(additions, options, res, tags);
            if (options.failAt() >= additions.steps().size()
                    && options.failAt() < delta.steps().size()) {
                options.atFailAt().run();
                // the deletions cannot be undone: a failure stands for any before them
                throw new ApplyException(
                        delta.steps().get(options.failAt()),
                        new IllegalStateException("failure injected at step " + options.failAt() + " (test hook)"));
            }
        } catch (RuntimeException | Error e) {
            // a step cancelled by an interrupt set it again: held back, or the undoing hand-offs give up too
            Uninterrupted.run(() -> {
                res.closeTaps(k -> !tapsBefore.contains(k)).forEach(e::addSuppressed);
                EachOf.releaseAll(routesAdded, r -> unAddRoute(r, res)).forEach(e::addSuppressed);
                EachOf.releaseAll(
                                dadBefore.entrySet(),
                                d -> Sysctls.of(res.hosts.get(d.getKey())).restore(d.getValue()))
                        .forEach(e::addSuppressed);
                // only what the forwarding step overwrote: the kernel propagated its writes
                EachOf.releaseAll(
                                res.forwardingOverwritten.entrySet().stream()
                                        .filter(f -> existed(before, f.getKey(), null))
                                        .toList(),
                                f -> Sysctls.of(res.hosts.get(f.getKey())).restore(f.getValue()))
                        .forEach(e::addSuppressed);
                EachOf.releaseAll(
                                addressesAdded,
                                a -> unAddAddress(
                                        a,
                                        res.addressesMade.contains(
                                                new Resources.MadeAddress(DeviceKey.of(a.device()), a.address())),
                                        devicesBefore.get(DeviceKey.of(a.device())),
                                        res.handle(a.ns())))
                        .forEach(e::addSuppressed);
                rollBack(before, res, tags, indexesBefore, e);
                res.keepDeviceIndexes(before);
            });
            throw e;
        }
        committed.run();
        List<RuntimeException> errors = new ArrayList<>();
        try {
            untag(res, tag, tags, indexesBefore);
        } catch (RuntimeException e) {
            errors.add(e);
        }
        try {
            remove(removals, res, errors);
        } finally {
            res.keepDeviceIndexes(delta.spec());
        }
    }

    /**
     * Whether namespace {@code ns} of {@code before} is the root or an adopted one in which the topology
     * drew no device group (it made only taps there, or nothing): group 0 there is everyone's, no tag
     * for a rollback. The change adds only taps there ({@link #delta}), which go with their fd.
     */
    private static boolean untagged(TopologySpec before, Resources res, String ns) {
        NamespaceSpec n = before.namespace(ns);
        return n.root() && res.rootGroup == 0 || n.adopted() && res.adoptedGroup == 0;
    }

    /**
     * Puts the devices the change made in namespaces netvirt made, tagged with the change's own group
     * for its rollback, in the default group, where {@code apply()} and the printed script leave
     * them (those in the root and adopted namespaces keep the topology's group: its cleanup's proof).
     */
    private static void untag(
            Resources res, int tag, Map<String, Integer> tags, Map<String, Set<Integer>> indexesBefore) {
        for (Map.Entry<String, Integer> e : tags.entrySet()) {
            if (e.getValue() != tag) {
                continue;
            }
            NetlinkHandle h = res.handle(e.getKey());
            Set<Integer> was = indexesBefore.get(e.getKey());
            for (Link l : h.linkList()) {
                if (l.group() == tag && !was.contains(l.index())) {
                    h.linkSetGroup(l.index(), 0);
                }
            }
        }
    }

    /**
     * Deletes what the change takes away, once everything it adds is made: routes the topology
     * added as the kernel lists them ({@link RouteDelStep}), addresses, devices by ifindex
     * (synchronously, so their names are free when this returns), then namespaces as by close().
     * These requests do not fail on a topology's own objects short of a kernel fault; they are the
     * part of a change that is not undone.
     */
    private static void remove(List<Step> removals, Resources res, List<RuntimeException> errors) {
        Resources gone = new Resources();
        Op.Kernel direct = new Op.Unplanned(res, null, gone);
        for (Step s : removals) {
            try {
                s.op().carryOut(direct);
            } catch (RuntimeException e) {
                errors.add(new ApplyException(s, e));
            }
        }
        errors.addAll(res.teardownReleased(gone));
        EachOf.throwFirst(errors);
    }

    /** Whether namespace {@code ns} was there before the change and held device {@code dev} (null: any). */
    private static boolean existed(TopologySpec before, String ns, String dev) {
        Optional<NamespaceSpec> n = before.findNamespace(ns);
        return n.isPresent() && (dev == null || n.get().device(dev).isPresent());
    }

    /**
     * Deletes the route {@code add} made through a device that was there (one through a new device
     * goes with it), if its echo proved it made it ({@link Resources#routeOutputs}); nothing if it
     * failed (EEXIST: the kernel's route is another's, however it lists it now), or never came back.
     */
    private static void unAddRoute(RouteAddStep add, Resources res) {
        RouteSpec del = unAdd(add.route(), res.routeOutputs.get(add.route()));
        if (del == null) {
            return;
        }
        try {
            res.handle(add.ns()).routeDel(del);
        } catch (NetlinkException e) {
            // gone already: a device going down takes its routes
            if (!e.is(Errno.ESRCH)) {
                throw e;
            }
        }
    }

    /**
     * The request that deletes route {@code r} as the kernel made it out of ifindex {@code output},
     * which the add's echo told; null without an echo. Its metric is written even when it is IPv6's
     * default (see {@link RouteDelStep#commands}).
     */
    static RouteSpec unAdd(NamespaceRoute r, Integer output) {
        if (output == null) {
            return null;
        }
        RouteSpec del = RouteSpec.to(r.destination()).table(r.table()).metric(r.metric());
        // 0: an IPv6 kernel that made the add a next hop of another's route echoes them all, out of
        // no one device; the gateway tells this one
        del = output == 0 ? del : del.dev(output);
        return r.gateway() == null ? del : del.via(r.gateway());
    }

    /**
     * Deletes the address {@code add} gave a device that was there (one on a new device goes with
     * it), if its ack proved it {@code made} (an add that answered EEXIST met someone else's), at
     * ifindex {@code index}, proven the device's before the change (empty: it was not the topology's,
     * and the add failed), if {@code h} lists it there now.
     */
    private static void unAddAddress(AddrAddStep add, boolean made, OptionalInt index, NetlinkHandle h) {
        if (!made || index.isEmpty()) {
            return;
        }
        int dev = index.getAsInt();
        if (h.addrList().stream().anyMatch(a -> a.index() == dev && a.prefix().equals(add.address()))) {
            h.addrDel(AddressSpec.of(dev, add.address()));
        }
    }

    private static void rollBack(
            TopologySpec before,
            Resources res,
            Map<String, Integer> tags,
            Map<String, Set<Integer>> indexesBefore,
            Throwable failure) {
        // first, synchronously, the devices in the namespaces that stay: a veth end whose peer is in
        // a new namespace would otherwise linger until the kernel's asynchronous cleanup of that namespace
        for (Map.Entry<String, Set<Integer>> e : indexesBefore.entrySet()) {
            try {
                NetlinkHandle h = res.handle(e.getKey());
                int group = DeviceGroups.drawn(tags.get(e.getKey()));
                for (Link l : h.linkList()) {
                    if (l.group() == group && !e.getValue().contains(l.index())) {
                        try {
                            h.linkDel(l.index());
                        } catch (NetlinkException ex) {
                            if (!ex.isNoDevice()) {
                                throw ex;
                            }
                        }
                    }
                }
            } catch (RuntimeException ex) {
                failure.addSuppressed(ex);
            }
        }
        Resources made = new Resources();
        for (String ns : new ArrayList<>(res.hosts.keySet())) {
            if (before.findNamespace(ns).isPresent()) {
                continue;
            }
            made.hosts.put(ns, res.hosts.remove(ns));
            Optional.ofNullable(res.handles.remove(ns)).ifPresent(h -> made.handles.put(ns, h));
            Optional.ofNullable(res.named.remove(ns)).ifPresent(k -> made.named.put(ns, k));
        }
        for (String ns : new ArrayList<>(res.reserved.keySet())) { // names taken for namespaces never made
            if (before.findNamespace(ns).isEmpty()) {
                made.reserved.put(ns, res.reserved.remove(ns));
            }
        }
        for (RuntimeException ex : res.teardownReleased(made)) {
            failure.addSuppressed(ex);
        }
    }
}
