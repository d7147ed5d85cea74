package io.github.netvirt.core;

import static io.github.netvirt.core.DraftMtus.MTU_DEPTH;
import static io.github.netvirt.core.DraftMtus.declaredMtu;
import static io.github.netvirt.core.DraftMtus.mtuOf;
import static io.github.netvirt.core.DraftMtus.mtuSource;
import static io.github.netvirt.core.DraftMtus.realLower;
import static io.github.netvirt.core.VxlanChecks.ipv6;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.MacvlanSettings;
import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.core.spec.VxlanSettings;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.MacAddress;
import io.github.netvirt.netlink.MacvlanMode;
import io.github.netvirt.netlink.Mtu;
import io.github.netvirt.netns.Names;
import io.github.netvirt.tap.DeviceKind;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks the builder's drafts and freezes them into a {@link TopologySpec}, or reports every problem. */
final class Validator {
    static final int IPV6_MIN_MTU = 1280;
    /** The most transmit or receive queues the kernel gives a new link (rtnl_create_link). */
    static final int MAX_QUEUES = 4096;

    private final String prefix;
    private final boolean ephemeral;

    private final Map<String, Drafts.Ns> namespaces;
    private final List<String> problems;
    /** The live topology's description a change began from, or null: what a problem of a change names. */
    private final TopologySpec base;

    /** What a change's validation reads of the live topology in the kernel, or null (no change). */
    private Kernel kernel;

    private boolean prefixOk = true;
    /** What the checks this validation calls share, made as it starts. */
    private Validation validation;
    /** The checks of the namespaces' routes, made as a validation starts. */
    private RouteChecks routeChecks;

    Validator(String prefix, boolean ephemeral, Map<String, Drafts.Ns> namespaces, List<String> early) {
        this(prefix, ephemeral, namespaces, early, null);
    }

    Validator(
            String prefix,
            boolean ephemeral,
            Map<String, Drafts.Ns> namespaces,
            List<String> early,
            TopologySpec base) {
        this.base = base;
        this.prefix = prefix;
        this.ephemeral = ephemeral;
        this.namespaces = namespaces;
        this.problems = new ArrayList<>(early);
    }

    /**
     * What a change's validation reads of the live topology in the kernel, only where the
     * description cannot tell, and only for a problem or a declaration that needs it.
     */
    interface Kernel {
        /** The MAC address the kernel lists for device {@code dev} of the live topology in {@code ns}, or null. */
        MacAddress mac(String ns, String dev);

        /**
         * The routes the kernel lists in namespace {@code ns} to {@code destination} that no route of
         * the live topology's description is (by destination, metric and table), as {@code ip route} shows them.
         */
        List<String> otherRoutesTo(String ns, IpPrefix destination);

        /**
         * The device of the live topology the kernel put {@code route}, one of its routes declared
         * without a device, out of (as the add's echo told), or null if that is not known.
         */
        String routeOutput(NamespaceRoute route);

        /**
         * The IPv4 addresses the kernel lists on device {@code dev} of the live topology in {@code ns}
         * (those a user added by hand too), or null if that is not known.
         */
        List<IpPrefix> ipv4Addresses(String ns, String dev);

        /**
         * The device of the live topology in {@code ns} whose route to {@code subnet} (the kernel's
         * prefix route of an address there) the kernel lists first in the main table: the one it
         * takes for a gateway there. Null if that is not known.
         */
        String firstOnSubnet(String ns, IpPrefix subnet);
    }

    /** Reads what the description cannot tell of the live topology a change began from through {@code k}. */
    Validator reading(Kernel k) {
        this.kernel = k;
        return this;
    }

    TopologySpec validate() {
        validation = new Validation(namespaces, problems, base, kernel);
        routeChecks = new RouteChecks(validation);
        checkPrefix();
        boolean empty = true;
        boolean inOrder = true;
        int last = Integer.MIN_VALUE;
        for (Drafts.Ns n : namespaces.values()) {
            empty &= n.root && n.devices.isEmpty();
            inOrder &= n.declOrder >= last;
            last = n.declOrder;
        }
        if (empty) {
            problems.add("the topology is empty: declare a namespace with ns(...)");
        }
        List<NamespaceSpec> result = new ArrayList<>(namespaces.size());
        List<Drafts.Ns> ordered = new ArrayList<>(namespaces.values());
        if (!inOrder) { // sorting what is in order already costs as much again, interpreted
            ordered.sort((a, b) -> Integer.compare(a.declOrder, b.declOrder));
        }
        for (Drafts.Ns n : ordered) {
            result.add(checkNamespace(n));
        }
        SegmentChecks segments = new SegmentChecks(validation);
        segments.checkMacsPerSegment(ordered);
        segments.checkAddressesPerSegment(ordered);
        new MtuChecks(validation).checkMtus(ordered);
        if (!problems.isEmpty()) {
            throw new InvalidTopologyException(problems);
        }
        return new TopologySpec(prefix, ephemeral, result);
    }

    private void checkPrefix() {
        if (prefix.isEmpty()) {
            return;
        }
        String bad = Names.namespaceProblem(prefix + "x");
        prefixOk = bad == null;
        if (bad != null) {
            problems.add("prefix \"" + Names.printable(prefix) + "\": " + bad);
        }
    }

    private NamespaceSpec checkNamespace(Drafts.Ns n) {
        String label = TopologySpec.label(n.name);
        if (!n.root) {
            if (!n.declared) {
                problems.add("namespace \"" + Names.printable(n.name) + "\" is used (by " + users(n)
                        + ") but never declared with ns(\"" + Names.printable(n.name) + "\")");
            } else {
                String bad = Names.namespaceProblem(n.name);
                if (bad != null) {
                    problems.add("namespace \"" + Names.printable(n.name) + "\": " + bad);
                } else if (!prefix.isEmpty()
                        && prefixOk
                        && !ephemeral
                        // valid prefix and name: only the length can be wrong, and 3 bytes a char at most is fine
                        && prefix.length() + n.name.length() > Names.NAMESPACE_MAX_BYTES / 3) {
                    String kernelName = prefix + n.name;
                    bad = Names.namespaceProblem(kernelName);
                    if (bad != null) {
                        problems.add("namespace \"" + Names.printable(n.name) + "\": its kernel name \""
                                + Names.printable(kernelName)
                                + "\" (with the prefix \"" + Names.printable(prefix) + "\") is longer than "
                                + Names.NAMESPACE_MAX_BYTES + " bytes: " + bad);
                    }
                }
            }
        } else if (n.forwarding) {
            problems.add(
                    "namespace (root): forwarding() is refused: netvirt never changes the root namespace's sysctls");
        }
        if (n.root && !n.routes.isEmpty()) {
            problems.add("namespace (root): routes are refused: netvirt never changes the root namespace's routes");
        }
        List<DeviceSpec> devices = new ArrayList<>(n.devices.size());
        boolean inOrder = true;
        int last = Integer.MIN_VALUE;
        for (Drafts.Dev d : n.devices.values()) {
            DeviceSpec spec = checkDevice(n, d);
            if (spec != null) {
                devices.add(spec);
                inOrder &= d.order >= last;
                last = d.order;
            }
        }
        if (!inOrder) {
            devices.sort((a, b) -> Integer.compare(n.devices.get(a.name()).order, n.devices.get(b.name()).order));
        }
        VxlanChecks.checkVnis(label, devices, problems);
        Optional<NamespaceSpec> was = base == null ? Optional.empty() : base.findNamespace(n.name);
        if (was.isPresent()) {
            RemovedHolds.check(label, was.get(), devices, problems);
        }
        List<Drafts.Route> declared = n.removedRoutes.isEmpty() ? n.routes : routeChecks.withoutRemoved(n, label);
        List<NamespaceRoute> routes = declared.isEmpty() ? List.of() : new ArrayList<>();
        if (!declared.isEmpty()) {
            // the kernel holds one route of a destination, metric and table (EEXIST for a second)
            Set<List<Object>> keys = new HashSet<>();
            for (Drafts.Route r : declared) {
                NamespaceRoute route = r.resolved(n.name);
                routeChecks.checkRoute(n, r, route, declared, label);
                if (!keys.add(List.of(route.destination(), route.metric(), route.table()))) {
                    problems.add("namespace " + label + ": " + r.text() + ": a second route to " + r.destination()
                            + (r.destination().prefixLength() == 0 ? " (default)" : "")
                            + " of metric " + route.metric() + " in table " + route.table()
                            + routeChecks.secondRouteHint(n.name, route));
                }
                routes.add(route);
            }
        }
        Removals.dependents(n, declared, routeChecks::routeOutput, problems);
        if (was.isPresent()) {
            Removals.lastIpv4Address(n, was.get(), declared, routeChecks::routeOutput, kernel, problems);
        }
        if (n.adoption != null) {
            Adoptions.check(n, declared, problems);
            return new NamespaceSpec(n.name, null, false, n.forwarding, devices, routes, n.adoption);
        }
        String kernelName = n.root || ephemeral ? null : prefix + n.name;
        return new NamespaceSpec(n.name, kernelName, n.root, n.forwarding, devices, routes);
    }

    /**
     * How {@code d} sits on device {@code target} through its lower devices ("m1 is on m0, on br"), or
     * null when it does not (or a cycle comes first, reported on its own).
     */
    private static String lowersTo(Drafts.Ns n, Drafts.Dev d, String target) {
        StringBuilder path = null;
        Drafts.Dev at = d;
        for (int i = 0; i <= MTU_DEPTH && at != null && at.lower != null && !at.lower.equals(at.name); i++) {
            path = path == null ? new StringBuilder(Names.printable(d.name)).append(" is on ") : path.append(", on ");
            path.append(Names.printable(at.lower));
            if (at.lower.equals(target)) {
                return path.toString();
            }
            at = n.devices.get(at.lower);
        }
        return null;
    }

    /** Whether {@code d}, on a cycle of lower devices, is its first declared: the one a problem names. */
    private static boolean firstOfCycle(Drafts.Ns n, Drafts.Dev d) {
        for (Drafts.Dev at = n.devices.get(d.lower); at != null && at != d; at = n.devices.get(at.lower)) {
            if (at.order < d.order) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code addresses} holds an IPv6 one: a loop, not a stream (apply's code runs interpreted). */
    private static boolean hasIpv6(Collection<IpPrefix> addresses) {
        for (IpPrefix a : addresses) {
            if (a.isIpv6()) {
                return true;
            }
        }
        return false;
    }

    /** How a device is named in a problem: made only for a problem (apply's code runs interpreted). */
    static String where(Drafts.Ns n, Drafts.Dev d) {
        return TopologySpec.label(n.name) + "/" + Names.printable(d.name);
    }

    static String where(Drafts.Dev d) {
        return TopologySpec.label(d.ns) + "/" + Names.printable(d.name);
    }

    /**
     * Why device {@code name}, which namespace {@code n} does not declare, cannot be the topology's,
     * or null when only the declaration is missing: lo, and the devices of the root namespace and of an
     * adopted one, are there without the topology, which uses and configures only the devices it makes.
     */
    static String notTheTopologys(Drafts.Ns n, String name) {
        if ("lo".equals(name)) {
            return "lo is the loopback device the kernel gives every namespace, not one the topology makes: the"
                    + " topology uses and configures only devices it makes (once applied, Topology.netlink(\""
                    + n.name + "\") reaches lo)";
        }
        if (n.adoption != null) {
            return "in adopted namespace " + n.name + " the topology uses and configures only the devices it makes,"
                    + " not the namespace's own";
        }
        return n.root
                ? "in the root namespace the topology uses and configures only the devices it makes, not the host's"
                        + " own"
                : null;
    }

    private DeviceSpec checkDevice(Drafts.Ns n, Drafts.Dev d) {
        if (d.kind == null) {
            Set<String> users = new LinkedHashSet<>();
            for (Drafts.Use u : d.usedBy) {
                users.add(u.text());
            }
            String notOurs = notTheTopologys(n, d.name);
            problems.add("device " + where(n, d) + " is used (by " + String.join(", ", users) + ")"
                    + ("lo".equals(d.name)
                            ? ": " + notOurs
                            : " but never declared" + (notOurs == null ? "" : ": " + notOurs)));
            return null;
        }
        if (d.declarations > 1) {
            problems.add("device " + where(n, d) + " is declared " + d.declarations + " times: names must be unique"
                    + " within a namespace");
        }
        String bad = Names.interfaceProblem(d.name);
        if (bad != null) {
            problems.add("device " + where(n, d) + ": not an interface name: " + bad);
        }
        if ("lo".equals(d.name)) {
            problems.add("device " + where(n, d) + ": every namespace already has lo, the loopback device the kernel"
                    + " gives it: a device the topology makes needs another name");
        }
        int mtu = 0;
        // the sets below are made only for more than one value: apply's interpreted code pays for each
        Collection<Integer> mtus = d.mtus.size() > 1 ? new LinkedHashSet<>(d.mtus) : d.mtus;
        if (mtus.size() > 1) {
            int live = liveMtu(n, d);
            if (live > 0) {
                problems.add("device " + where(n, d) + ": mtu("
                        + mtus.stream().filter(m -> m != live).findFirst().get()
                        + "): a change cannot change the MTU of a device that is there (" + live + "): set it on the"
                        + " live device with netlink(\"" + n.name + "\").linkSetMtu(...)");
            } else {
                problems.add("device " + where(n, d) + ": conflicting MTUs " + mtus);
            }
        }
        if (!mtus.isEmpty()) { // no iterator made for nothing (as below)
            for (int m : mtus) {
                if (Mtu.problem(m) != null) {
                    problems.add("device " + where(n, d) + ": " + Mtu.problem(m));
                } else if (d.kind == Kind.TAP && m > DeviceKind.TAP.maxMtu()) {
                    problems.add("device " + where(n, d) + ": MTU " + m + " is above a tap's maximum "
                            + DeviceKind.TAP.maxMtu());
                }
                mtu = m;
            }
        }
        if (hasIpv6(d.addresses)) {
            int effective = mtu > 0 ? mtu : mtuOf(n, d, 0);
            if (effective > 0 && effective < IPV6_MIN_MTU) {
                problems.add("device " + where(n, d) + ": MTU " + effective
                        + (mtu > 0 ? "" : " (" + mtuSource(n, d) + ")")
                        + " is below IPv6's minimum " + IPV6_MIN_MTU + " but the device has an IPv6 address (the"
                        + " kernel turns IPv6 off on it and would refuse the address: EINVAL)");
            }
        }
        Collection<MacAddress> macs = d.macs.size() > 1 ? new LinkedHashSet<>(d.macs) : d.macs;
        if (macs.size() > 1) {
            problems.add("device " + where(n, d) + ": conflicting MAC addresses " + macs);
        }
        var mac = macs.isEmpty() ? null : macs.iterator().next();
        if (mac != null && (mac.isMulticast() || mac.isZero())) {
            problems.add("device " + where(n, d) + ": MAC " + mac + " is not a unicast address");
        } else if (mac != null && d.settings instanceof MacvlanSettings m && m.mode() == MacvlanMode.PASSTHRU) {
            // the kernel overwrites IFLA_ADDRESS with the lower device's MAC (macvlan_common_newlink), and
            // a MAC set later goes to the lower device (macvlan_set_mac_address)
            Drafts.Dev real = realLower(n, d);
            String lower = real != null ? real.name : d.lower;
            problems.add("device " + where(n, d) + ": a passthru macvlan has its lower device " + lower
                    + "'s MAC address (the kernel would take MAC " + mac + " to no effect): give " + lower + " mac(\""
                    + mac + "\") instead");
        }
        if (d.ups.size() > 1 && d.ups.contains(true) && d.ups.contains(false)) {
            problems.add("device " + where(n, d) + ": both up() and down()");
        }
        boolean up = d.ups.isEmpty() || d.ups.get(d.ups.size() - 1);
        String master = null;
        if (d.masters.size() > 1) {
            problems.add("device " + where(n, d) + " is enslaved " + d.masters.size() + " times (to "
                    + String.join(", ", d.masters) + "): a device has at most one master");
        }
        if (!d.masters.isEmpty()) {
            master = d.masters.get(0);
            Drafts.Dev m = n.devices.get(master);
            // an undeclared master is reported on its own entry
            if (m == null || m.kind == null) {
                master = null;
            } else if (m.kind != Kind.BRIDGE) {
                problems.add("device " + where(n, d) + ": master " + master + " is a " + m.kind.iproute2()
                        + ", not a bridge");
            } else if (master.equals(d.name)) {
                problems.add("device " + where(n, d) + ": a bridge cannot be its own port");
            } else if (d.kind == Kind.BRIDGE) {
                problems.add("device " + where(n, d) + ": a bridge cannot be a port of bridge " + master);
            } else {
                String below = lowersTo(n, d, master);
                if (below != null) {
                    problems.add("device " + where(n, d) + ": master " + master + " is below it (" + below + "): a"
                            + " device cannot be a port of a bridge it sits on (the kernel would refuse it: EBUSY)");
                }
            }
        }
        Set<IpPrefix> seen = d.addresses.size() > 1 ? new HashSet<>() : null;
        Map<InetAddress, IpPrefix> ipv6 = null;
        if (!d.addresses.isEmpty()) {
            for (IpPrefix a : d.addresses) {
                if (seen != null && !seen.add(a)) {
                    problems.add("device " + where(n, d) + ": address " + a + " added twice");
                    continue;
                }
                String notOne = notAnInterfaceAddress(a);
                if (notOne != null) {
                    problems.add(
                            "device " + where(n, d) + ": address " + a + ": " + IpPrefix.format(a.address()) + notOne);
                    continue;
                }
                // another device of the namespace may have it: the kernel takes it, and it works on other segments
                if (seen != null && a.isIpv6()) {
                    // the kernel keys a device's IPv6 addresses by address alone (EEXIST), IPv4 ones with the prefix
                    if (ipv6 == null) {
                        ipv6 = new HashMap<>();
                    }
                    IpPrefix first = ipv6.putIfAbsent(a.address(), a);
                    if (first != null) {
                        problems.add("device " + where(n, d) + ": address " + a + ": " + IpPrefix.format(a.address())
                                + " is on it already (" + first + ")");
                    }
                }
            }
        }
        String lower = null;
        if (d.kind == Kind.VETH) {
            if (d.peerNs != null && d.peerNs.equals(n.name) && d.name.equals(d.peerName)) {
                problems.add("device " + where(n, d) + ": a veth's two ends need different names in one namespace");
            }
        }
        int at = problems.size(); // a kind's own problems come before those of its lower device, quiet(), conditions
        if (d.kind != null && d.kind.lower() != Kind.Lower.NONE) {
            lower = checkLower(n, d, d.kind.lower() == Kind.Lower.REQUIRED);
        }
        DeviceSpec spec = new DeviceSpec(
                n.name,
                d.name,
                d.kind,
                mtu,
                mac,
                queues(n, d),
                up,
                master,
                addresses(d.addresses),
                d.peerNs,
                d.peerName,
                d.creator,
                lower,
                d.settings,
                checkQuiet(n, d),
                condition(n, d));
        if (d.settings != null) {
            for (String p : d.settings.problems(spec)) {
                problems.add(at++, "device " + where(n, d) + ": " + p);
            }
        }
        return spec;
    }

    /**
     * The addresses without repeats, as an immutable list that the spec keeps as it is (copying a
     * list of zero or one element costs more than the rest of a device's check while interpreted).
     */
    private static List<IpPrefix> addresses(List<IpPrefix> a) {
        return switch (a.size()) {
            case 0 -> List.of();
            case 1 -> List.of(a.get(0));
            default -> List.copyOf(new LinkedHashSet<>(a));
        };
    }

    /** The device's queue count (0: the kernel's default); a veth end without one takes its peer's. */
    private int queues(Drafts.Ns n, Drafts.Dev d) {
        if (d.queues.isEmpty()) {
            // the kernel makes both ends in one request; the peer's problems are reported on its own entry
            Drafts.Dev peer = d.kind == Kind.VETH ? validation.peer(d) : null;
            return peer == null || peer.queues.isEmpty() ? 0 : validQueues(peer.queues);
        }
        Collection<Integer> counts = d.queues.size() > 1 ? new LinkedHashSet<>(d.queues) : d.queues;
        int count = counts.iterator().next();
        if (counts.size() > 1) {
            problems.add("device " + where(n, d) + ": conflicting queue counts " + counts);
        }
        if (count < 1 || count > MAX_QUEUES) {
            problems.add("device " + where(n, d) + ": queues(" + count + "): the kernel takes 1.." + MAX_QUEUES);
            return 0;
        }
        if (d.kind == Kind.TAP) {
            problems.add("device " + where(n, d) + ": queues() applies to devices made by netlink, not a tap");
            return 0;
        }
        return count;
    }

    /** The one count in {@code queues} when it is one the kernel takes, else 0. */
    private static int validQueues(List<Integer> queues) {
        int count = queues.get(0);
        for (int q : queues) {
            if (q != count) {
                return 0;
            }
        }
        return count >= 1 && count <= MAX_QUEUES ? count : 0;
    }

    /** A veth end's condition, with its seed derived from the names when none was given; problems noted. */
    private LinkCondition condition(Drafts.Ns n, Drafts.Dev d) {
        if (d.condition == null) {
            return null;
        }
        if (d.kind != Kind.VETH) {
            problems.add("device " + where(n, d)
                    + ": link conditions (rate, delay, jitter, loss) apply to a veth end, not a "
                    + (d.kind == null ? "device that is not declared" : d.kind.iproute2()));
            return null;
        }
        Drafts.Dev peer = validation.peer(d);
        if (peer != null && peer.condition != null && d.creator) {
            problems.add(
                    "device " + where(n, d) + ": both ends of the pair have a link condition; declare it on one end"
                            + " (it covers both directions)");
        }
        if (d.condition.bitsPerSecond() == 0 && !d.condition.impairs()) {
            problems.add("device " + where(n, d) + ": a link condition with no rate, delay, jitter or loss"
                    + " (a zero rate, delay, jitter or loss sets none, nor does a seed alone): leave it out");
            return null;
        }
        if (d.condition.impairs()) {
            // the relay is decided at run time (the kernel without netem): refused whatever kernel validates, so
            // that a description valid on one machine is valid on every other
            int max = DeviceKind.TAP.maxMtu();
            int mtu = mtuOf(n, d, 0);
            Drafts.Ns peerNs = namespaces.get(d.peerNs);
            int peerMtu = peer == null ? 0 : mtuOf(peerNs, peer, 0);
            String relay = " is above a tap's maximum " + max + ": a delay, jitter or loss runs through a relay of two"
                    + " taps where the kernel has no netem, which cannot carry its frames (give the pair MTU " + max
                    + " or less, or a rate alone)";
            if (mtu > max) {
                problems.add("device " + where(n, d) + ": MTU " + mtu + relay);
            } else if (peerMtu > max) {
                problems.add("device " + where(n, d) + ": its peer " + where(peer) + "'s MTU " + peerMtu + relay);
            }
        }
        if (d.seeded) {
            return d.condition;
        }
        return d.condition.withSeed(LinkConditions.defaultSeed(d.ns, d.name, d.peerNs, d.peerName));
    }

    private boolean checkQuiet(Drafts.Ns n, Drafts.Dev d) {
        if (!d.quiet) {
            return false;
        }
        if (d.kind != Kind.TAP) {
            problems.add("device " + where(n, d) + ": quiet() applies to a tap, not a "
                    + (d.kind == null ? "device selected with dev()" : d.kind.iproute2()));
            return false;
        }
        if (n.root) {
            problems.add("device " + where(n, d) + ": quiet() is refused in the root namespace: netvirt never changes"
                    + " the root namespace's sysctls");
            return false;
        }
        for (IpPrefix a : d.addresses) {
            if (!a.isIpv4()) {
                problems.add("device " + where(n, d) + ": IPv6 address " + a
                        + " on a quiet tap (quiet() turns IPv6 off on it)");
            }
        }
        return true;
    }

    private String checkLower(Drafts.Ns n, Drafts.Dev d, boolean required) {
        if (d.lower == null) {
            if (required) {
                problems.add("device " + where(n, d) + ": a " + d.kind.iproute2() + " needs a lower device");
            }
            return null;
        }
        if (d.lower.equals(d.name)) {
            problems.add("device " + where(n, d) + ": cannot be its own lower device");
        } else {
            String cycle = lowersTo(n, d, d.name);
            if (cycle != null && firstOfCycle(n, d)) {
                problems.add("device " + where(n, d) + ": its lower devices make a cycle (" + cycle + "): the"
                        + " kernel would find no lower device (ENODEV)");
            }
        }
        Drafts.Dev l = d.kind == Kind.MACVLAN ? n.devices.get(d.lower) : null;
        if (l != null
                && l.kind != null
                && !l.masters.isEmpty()
                && !l.masters.get(0).equals(l.name)) {
            // both take the device's rx_handler (netdev_rx_handler_register), whichever comes second gets EBUSY
            String bridge = l.masters.get(0);
            problems.add("device " + where(n, d) + ": lower device " + d.lower + " is a port of bridge " + bridge
                    + ": a device is a bridge's port or a macvlan's lower device, not both (the kernel would refuse"
                    + " it: EBUSY); put the macvlan on " + bridge + " instead");
        }
        if (d.settings instanceof VxlanSettings x && ipv6(x)) {
            Drafts.Dev under = n.devices.get(d.lower);
            if (under != null && under != d && quietTap(under)) {
                problems.add("device " + where(n, d) + ": IPv6 over " + d.lower + ": " + noIpv6(n, under)
                        + " (the kernel would refuse the vxlan: EPERM)");
            } else if (under != null && under != d && x.group() instanceof Inet6Address) {
                String noIpv6 = noIpv6(n, under);
                if (noIpv6 != null) {
                    problems.add("device " + where(n, d) + ": IPv6 group " + IpPrefix.format(x.group()) + " over "
                            + d.lower + ": " + noIpv6 + " (it would refuse to join the group: EINVAL)");
                }
            }
        }
        return d.lower;
    }

    /** The MTU the live topology a change began from gives device {@code d}, or 0 (none, or no change). */
    private int liveMtu(Drafts.Ns n, Drafts.Dev d) {
        if (base == null) {
            return 0;
        }
        return base.findNamespace(n.name)
                .flatMap(x -> x.device(d.name))
                .map(x -> x.mtu())
                .orElse(0);
    }

    /**
     * Why {@code prefix}'s address is no address of an interface (the text after the address), or
     * null when it is one: the unspecified address (the kernel adds nothing for 0.0.0.0 and answers
     * success, and refuses ::), a multicast address or IPv4's limited broadcast (IPv4 takes them, with
     * no route to their subnet; IPv6 refuses multicast), IPv6's loopback address off lo (refused), the
     * broadcast address of its own IPv4 subnet (taken, with a local route and a broadcast route for
     * it: to the subnet's other hosts it is the broadcast address, as it is for a gateway, which the
     * kernel refuses there). IPv6 has no broadcast; the kernel takes its subnet-router anycast address
     * (host bits 0) as an address, which works as one.
     */
    static String notAnInterfaceAddress(IpPrefix prefix) {
        InetAddress a = prefix.address();
        boolean v4 = a instanceof Inet4Address;
        if (a.isAnyLocalAddress()) {
            return " is the unspecified address"
                    + (v4 ? ": the kernel would add nothing and report success" : " (the kernel would refuse it)");
        }
        if (a.isMulticastAddress()) {
            return " is a multicast address, not an interface address"
                    + (v4
                            ? ": the kernel would take it but route nothing to its subnet (to receive a group, join it"
                                    + " from a socket)"
                            : " (the kernel would refuse it; to receive a group, join it from a socket)");
        }
        if (v4 && isLimitedBroadcast(a)) {
            return " is the limited broadcast address, not an interface address: the kernel would take it but route"
                    + " nothing to its subnet";
        }
        if (!v4 && a.isLoopbackAddress()) {
            return " is the loopback address, which only lo has (the kernel would refuse it)";
        }
        if (a.equals(prefix.broadcast())) {
            return " is the broadcast address of " + prefix.network() + ", not a host's: the kernel would take it,"
                    + " but the subnet's other hosts would broadcast what they send to it (a /31 or /32 has no"
                    + " broadcast address)";
        }
        return null;
    }

    private static boolean isLimitedBroadcast(InetAddress a) {
        for (byte b : a.getAddress()) {
            if (b != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why IPv6 is off on {@code d} ("D is a quiet tap...", "D's MTU M is below..."), or null: it is a
     * quiet tap, or its MTU as described ({@link DraftMtus#mtuOf}) is below IPv6's minimum (addrconf_notify
     * drops its inet6_dev).
     */
    static String noIpv6(Drafts.Ns n, Drafts.Dev d) {
        if (quietTap(d)) {
            return Names.printable(d.name) + " is a quiet tap: quiet() turns IPv6 off on it";
        }
        int declared = declaredMtu(d);
        int mtu = mtuOf(n, d, 0);
        if (mtu <= 0 || mtu >= IPV6_MIN_MTU) {
            return null;
        }
        return Names.printable(d.name) + "'s MTU " + mtu + (declared > 0 ? "" : " (" + mtuSource(n, d) + ")")
                + " is below IPv6's minimum " + IPV6_MIN_MTU + ": the kernel turns IPv6 off on it";
    }

    static boolean quietTap(Drafts.Dev d) {
        return d.quiet && d.kind == Kind.TAP;
    }

    private String users(Drafts.Ns n) {
        List<String> users = new ArrayList<>();
        for (Drafts.Ns other : namespaces.values()) {
            for (Drafts.Dev d : other.devices.values()) {
                if (d.kind == Kind.VETH && n.name.equals(d.peerNs)) {
                    users.add("veth " + TopologySpec.label(other.name) + "/" + d.name);
                }
            }
        }
        return users.isEmpty() ? "a device" : String.join(", ", users);
    }
}
