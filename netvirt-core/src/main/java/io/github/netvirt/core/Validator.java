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
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
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
    /** The metric of the route the kernel makes to the subnet of an IPv6 address ({@code IP6_RT_PRIO_ADDRCONF}). */
    private static final int IPV6_PREFIX_ROUTE_METRIC = 256;

    /** The prefix of the kernel's route for each up device's IPv6 link-local address. */
    private static final IpPrefix LINK_LOCAL = IpPrefix.parse("fe80::/64");

    private final Map<String, Drafts.Ns> namespaces;
    private final List<String> problems;
    /** The live topology's description a change began from, or null: what a problem of a change names. */
    private final TopologySpec base;

    /** What a change's validation reads of the live topology in the kernel, or null (no change). */
    private Kernel kernel;

    private boolean prefixOk = true;
    /** What the checks this validation calls share, made as it starts. */
    private Validation validation;

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
        List<Drafts.Route> declared = n.removedRoutes.isEmpty() ? n.routes : withoutRemoved(n, label);
        List<NamespaceRoute> routes = declared.isEmpty() ? List.of() : new ArrayList<>();
        if (!declared.isEmpty()) {
            // the kernel holds one route of a destination, metric and table (EEXIST for a second)
            Set<List<Object>> keys = new HashSet<>();
            for (Drafts.Route r : declared) {
                NamespaceRoute route = r.resolved(n.name);
                checkRoute(n, r, route, declared, label);
                if (!keys.add(List.of(route.destination(), route.metric(), route.table()))) {
                    problems.add("namespace " + label + ": " + r.text() + ": a second route to " + r.destination()
                            + (r.destination().prefixLength() == 0 ? " (default)" : "")
                            + " of metric " + route.metric() + " in table " + route.table()
                            + secondRouteHint(n.name, route));
                }
                routes.add(route);
            }
        }
        Removals.dependents(n, declared, this::routeOutput, problems);
        if (was.isPresent()) {
            Removals.lastIpv4Address(n, was.get(), declared, this::routeOutput, kernel, problems);
        }
        if (n.adoption != null) {
            Adoptions.check(n, declared, problems);
            return new NamespaceSpec(n.name, null, false, n.forwarding, devices, routes, n.adoption);
        }
        String kernelName = n.root || ephemeral ? null : prefix + n.name;
        return new NamespaceSpec(n.name, kernelName, n.root, n.forwarding, devices, routes);
    }

    /**
     * The routes of {@code n} without those removeRoute(...) took out, each the one route of its
     * destination, metric and table; a problem for a removal that matches none, whose gateway or
     * device is not the route's, or (in a change) whose live route is declared again and not removed
     * again, and for a removeRoute("default") whose table and metric select default routes of both
     * families.
     */
    private List<Drafts.Route> withoutRemoved(Drafts.Ns n, String label) {
        List<Drafts.Route> left = new ArrayList<>(n.routes);
        Map<Drafts.Route, String> liveRemoved = new LinkedHashMap<>(); // what removed them
        for (Drafts.Route removal : n.removedRoutes) {
            String what = "namespace " + label + ": " + removal.text();
            Set<Drafts.Route> before = Collections.newSetFromMap(new IdentityHashMap<>());
            before.addAll(n.routes.subList(0, removal.declaredBefore()));
            Drafts.Route x = removal.eitherFamily()
                    ? removal.ofFamilyAmong(
                            left.stream().filter(before::contains).toList())
                    : removal;
            if (x == null) {
                NamespaceRoute v4 = removal.resolved(n.name);
                problems.add(what + ": the namespace has default routes of both families in table " + v4.table()
                        + (removal.metric() == null ? "" : " of metric " + removal.metric())
                        + ": say which, 0.0.0.0/0 or ::/0");
                continue;
            }
            NamespaceRoute gone = x.resolved(n.name);
            String which = gone.destination() + " of metric " + gone.metric() + " in table " + gone.table();
            List<Drafts.Route> matches =
                    left.stream().filter(r -> r.key().equals(x.key())).toList();
            if (matches.stream().noneMatch(before::contains)) { // one declared after it is not there yet
                List<String> same = left.stream()
                        .filter(before::contains)
                        .filter(r -> r.destination().equals(gone.destination()))
                        .map(r -> r.resolved(n.name).iproute2())
                        .toList();
                List<String> others =
                        base == null || kernel == null ? List.of() : kernel.otherRoutesTo(n.name, gone.destination());
                problems.add(what + ": there is no such route (" + which + ")"
                        + (matches.isEmpty()
                                ? ""
                                : " before it: " + matches.get(0).text() + " comes after it")
                        + (same.isEmpty() && others.isEmpty() ? "" : "; the namespace has " + String.join(", ", same))
                        + (same.isEmpty() || others.isEmpty() ? "" : ", and ")
                        + (others.isEmpty()
                                ? ""
                                : String.join(", ", others) + " (not the topology's: removeRoute(...) deletes only"
                                        + " the routes it declared; netlink(\"" + n.name
                                        + "\").routeDel(...) deletes another)"));
                continue;
            }
            Drafts.Route r =
                    matches.stream().filter(before::contains).findFirst().orElseThrow();
            NamespaceRoute was = r.resolved(n.name);
            String otherGateway = x.gateway() == null || x.gateway().equals(r.gateway())
                    ? null
                    : r.gateway() == null
                            ? "it was declared without a gateway, so give none, not " + IpPrefix.format(x.gateway())
                            : "it goes via " + IpPrefix.format(r.gateway()) + ", not " + IpPrefix.format(x.gateway());
            String otherDev = x.dev() == null || x.dev().equals(r.dev())
                    ? null
                    : r.dev() == null
                            ? "it was declared without a device (it goes out of the one the kernel chose), so give"
                                    + " none, not \"" + Names.printable(x.dev()) + "\""
                            : "it goes out of " + Names.printable(r.dev()) + ", not " + Names.printable(x.dev());
            if (otherGateway != null || otherDev != null) {
                problems.add(what + ": the route to " + which + " is " + was.iproute2() + ": "
                        + (otherGateway == null
                                ? otherDev
                                : otherDev == null ? otherGateway : otherGateway + "; " + otherDev));
                continue;
            }
            if (base != null
                    && base.findNamespace(n.name).stream()
                            .flatMap(b -> b.routes().stream())
                            .anyMatch(b -> b.equals(was))) {
                liveRemoved.putIfAbsent(r, what);
            }
            left.removeIf(m -> m == r);
        }
        liveRemoved.forEach((r, what) -> {
            List<Drafts.Route> again =
                    left.stream().filter(m -> m.key().equals(r.key())).toList();
            if (!again.isEmpty()) {
                // a replacement: the new route could be added only once the old one is deleted, and a change deletes
                // last
                problems.add(what + ": removed and declared again in one change ("
                        + again.get(0).text()
                        + "), which cannot add the new route before it deletes the old one (a change deletes last,"
                        + " so that a failure leaves the network as it was): remove it in one change and declare it"
                        + " in the next, or replace the live route with netlink(\"" + n.name
                        + "\").routeReplace(...)");
                left.removeIf(m -> again.stream().anyMatch(a -> a == m));
            }
        });
        return left;
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
    private static String notTheTopologys(Drafts.Ns n, String name) {
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

    /**
     * What a second route to the destination of {@code route} should have been, when a change
     * declares it where the live topology has one: a change cannot replace a route.
     */
    private String secondRouteHint(String ns, NamespaceRoute route) {
        if (base == null) {
            return ": two routes to one destination need different metrics or tables";
        }
        boolean live = base.findNamespace(ns).stream()
                .flatMap(n -> n.routes().stream())
                .anyMatch(r -> r.destination().equals(route.destination())
                        && r.metric() == route.metric()
                        && r.table() == route.table());
        return live
                ? ": the topology has one, and a change cannot replace a route: give this one another metric or"
                        + " table, removeRoute(...) the live one in a change and declare this one in the next, or"
                        + " replace the live route with netlink(\"" + ns + "\").routeReplace(...)"
                : ": two routes to one destination need different metrics or tables";
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
     * The device route {@code r} of {@code n} goes out of: its own, or for one declared without a
     * device in a change, the one the kernel put it out of (read in the kernel for a route of the
     * live topology, as the add's echo told) or would put it out of ({@link Removals#predictedOutput});
     * null if neither is known.
     */
    private Removals.Output routeOutput(Drafts.Ns n, Drafts.Route r) {
        if (r.dev() != null) {
            return new Removals.Output(r.dev(), null);
        }
        Optional<NamespaceSpec> was = base == null ? Optional.empty() : base.findNamespace(n.name);
        if (was.isEmpty()) {
            return null;
        }
        NamespaceRoute route = r.resolved(n.name);
        boolean live = was.get().routes().contains(route);
        String dev = live && kernel != null ? kernel.routeOutput(route) : null;
        if (dev == null) {
            dev = Removals.predictedOutput(was.get(), n, route, kernel);
        }
        return dev == null ? null : new Removals.Output(dev, live ? "put" : "would put");
    }

    private void checkRoute(
            Drafts.Ns n, Drafts.Route r, NamespaceRoute route, List<Drafts.Route> declared, String label) {
        String what = "namespace " + label + ": " + r.text();
        if (r.gateway() == null && r.dev() == null) {
            problems.add(what + ": needs a gateway or a device");
        }
        if (r.gateway() != null
                && r.gateway().getAddress().length != r.destination().address().getAddress().length) {
            problems.add(what + ": gateway and destination are of different families");
            return;
        }
        // the kernel's prefix route is in the main table, of metric 0 (IPv4) or 256 (IPv6, IP6_RT_PRIO_ADDRCONF)
        String made = route.table() == NamespaceRoute.MAIN_TABLE
                        && route.metric() == (route.destination().isIpv4() ? 0 : IPV6_PREFIX_ROUTE_METRIC)
                ? prefixRoute(n, r.destination())
                : null;
        if (made == null
                && route.table() == NamespaceRoute.MAIN_TABLE
                && route.metric() == IPV6_PREFIX_ROUTE_METRIC
                && r.destination().equals(LINK_LOCAL)) {
            made = linkLocalRoute(n, r.dev());
        }
        if (made != null) {
            problems.add(what + ": the kernel made a route to " + r.destination() + " for " + made + " already");
        }
        if (r.dev() != null) {
            Drafts.Dev d = n.devices.get(r.dev());
            if (d == null || d.kind == null) {
                if (!Removals.removed(n, r.dev())) { // else the removal's problem names the route
                    String notOurs = notTheTopologys(n, r.dev());
                    problems.add(what + ": "
                            + (notOurs == null
                                    ? "no device " + r.dev() + " in namespace " + label
                                    : "lo".equals(r.dev())
                                            ? notOurs
                                            : "device " + r.dev() + " is not declared: " + notOurs));
                }
                return;
            }
            if (d.kind != null && !d.ups.isEmpty() && !d.ups.get(d.ups.size() - 1)) {
                problems.add(what + ": device " + r.dev() + " is down()");
            }
            if (r.destination().isIpv6()) {
                String noIpv6 = noIpv6(n, d);
                if (noIpv6 != null) {
                    problems.add(what + ": device " + noIpv6 + " (the kernel would refuse the route: "
                            + (quietTap(d) ? "EACCES" : "ENODEV") + ")");
                }
            }
        }
        // only IPv6 takes a link-local gateway off-subnet; the kernel checks one in 169.254/16 like any other
        if (r.gateway() != null
                && !(r.gateway() instanceof Inet6Address && r.gateway().isLinkLocalAddress())) {
            IpPrefix subnet = broadcastOf(n, r.gateway());
            if (subnet != null) {
                problems.add(what + ": gateway " + IpPrefix.format(r.gateway()) + " is the broadcast address of "
                        + subnet + " (the kernel would refuse it)");
                return;
            }
            // IPv6 refuses it ("Gateway can not be a local address"); IPv4 takes it without a device, as on-link
            for (Drafts.Dev d : n.devices.values()) {
                for (IpPrefix a : d.addresses) {
                    if (a.address().equals(r.gateway())) {
                        problems.add(what + ": gateway " + IpPrefix.format(r.gateway()) + " is this namespace's own"
                                + " address (" + a + " of " + d.name + "): a gateway is another host");
                        return;
                    }
                }
            }
            boolean reachable = false;
            String down = null;
            String unrouted = null;
            for (Drafts.Dev d : n.devices.values()) {
                if (r.dev() != null && !r.dev().equals(d.name)) {
                    continue;
                }
                for (IpPrefix a : d.addresses) {
                    if (a.contains(r.gateway()) && !a.address().equals(r.gateway()) && !kernelRoutesSubnet(a)) {
                        unrouted = a + " (of " + d.name + "), whose network is "
                                + IpPrefix.format(a.network().address());
                    } else if (a.contains(r.gateway()) && !a.address().equals(r.gateway())) {
                        // a down device's subnet has no route: the kernel finds no nexthop there
                        if (r.dev() == null && !d.ups.isEmpty() && !d.ups.get(d.ups.size() - 1)) {
                            down = d.name;
                        } else {
                            reachable = true;
                        }
                    }
                }
            }
            if (!reachable) {
                // or through a declared route without a gateway (Calico's "169.254.1.1 dev eth0"; one out of a down()
                // device is refused itself)
                for (Drafts.Route o : declared) {
                    if (o.gateway() == null && o.dev() != null && Planner.reaches(o.resolved(n.name), route)) {
                        reachable = true;
                        break;
                    }
                }
            }
            // the kernel checks a gateway when its route is added, never again: a live route is not
            String shadowed = reachable
                            && r.gateway() instanceof Inet6Address
                            && (base == null
                                    || !base.findNamespace(n.name)
                                            .map(x -> x.routes().contains(route))
                                            .orElse(false))
                    ? Ipv6Gateways.shadowed(n, r, route, inKernel(n, declared))
                    : null;
            if (shadowed != null) {
                problems.add(what + ": " + shadowed);
            } else if (!reachable && down != null) {
                problems.add(what + ": gateway " + IpPrefix.format(r.gateway()) + " is only on a subnet of " + down
                        + ", which is down() (the kernel would refuse it)");
            } else if (!reachable) {
                problems.add(what + ": gateway " + IpPrefix.format(r.gateway()) + " is not on any subnet of "
                        + (r.dev() != null ? r.dev() : "namespace " + label) + " (the kernel would refuse it)"
                        + (unrouted != null ? ": the kernel makes no route to the subnet of " + unrouted : ""));
            }
        } else if (r.gateway() != null && r.dev() == null) {
            problems.add(what + ": a link-local gateway needs a device");
        }
    }

    /**
     * The routes of {@code n} the kernel holds while a route of {@code declared} is added: those, and in
     * a change the live ones removeRoute(...) took out (a change deletes last).
     */
    private List<Drafts.Route> inKernel(Drafts.Ns n, List<Drafts.Route> declared) {
        if (base == null || n.routes.size() == declared.size()) {
            return declared;
        }
        List<NamespaceRoute> live =
                base.findNamespace(n.name).map(NamespaceSpec::routes).orElse(List.of());
        List<Drafts.Route> all = new ArrayList<>(declared);
        for (Drafts.Route r : n.routes) {
            if (!declared.contains(r) && live.contains(r.resolved(n.name))) {
                all.add(r);
            }
        }
        return all;
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
    private String noIpv6(Drafts.Ns n, Drafts.Dev d) {
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

    private static boolean quietTap(Drafts.Dev d) {
        return d.quiet && d.kind == Kind.TAP;
    }

    /**
     * The address of an up device of {@code n} ("address A of DEV") for whose subnet the kernel adds
     * the route to {@code destination} itself, or null: in the main table, of metric 0 for IPv4 and
     * 256 for IPv6, so that a route of ours of that metric there gets EEXIST (an IPv6 route of the
     * default metric, 1024, does not). Which addresses get one: {@link #kernelRoutesSubnet}.
     */
    private static String prefixRoute(Drafts.Ns n, IpPrefix destination) {
        for (Drafts.Dev d : n.devices.values()) {
            if (!d.ups.isEmpty() && !d.ups.get(d.ups.size() - 1)) {
                continue;
            }
            for (IpPrefix a : d.addresses) {
                if (a.prefixLength() == destination.prefixLength()
                        && a.isIpv4() == destination.isIpv4()
                        && a.network().equals(destination)
                        && kernelRoutesSubnet(a)) {
                    return "address " + a + " of " + d.name;
                }
            }
        }
        return null;
    }

    /**
     * "the link-local address of DEV" for an up device of {@code n} with IPv6 ({@code dev}, where the
     * route names one), for which the kernel routes {@link #LINK_LOCAL} with metric 256, or null.
     */
    private String linkLocalRoute(Drafts.Ns n, String dev) {
        for (Drafts.Dev d : n.devices.values()) {
            if (d.kind == null
                    || dev != null && !d.name.equals(dev)
                    || !d.ups.isEmpty() && !d.ups.get(d.ups.size() - 1)) {
                continue;
            }
            if (noIpv6(n, d) == null) {
                return "the link-local address of " + d.name;
            }
        }
        return null;
    }

    /**
     * Whether the kernel makes a route to the subnet of address {@code a} when its device is up. IPv6
     * makes one for every prefix length (addrconf_prefix_route): {@code ::/0} is a default route, a
     * /128 a host route. IPv4 makes none for a /32, nor for a subnet whose network is 0.0.0.0
     * (fib_add_ifaddr: {@code ipv4_is_zeronet}, 0.0.0.0 alone since 2019, 0/8 before; measured on
     * 6.18), so none for a /0, nor for 10.1.0.1/4.
     */
    static boolean kernelRoutesSubnet(IpPrefix a) {
        return !a.isIpv4() || a.prefixLength() < 32 && !a.network().address().isAnyLocalAddress();
    }

    /**
     * The IPv4 address of namespace {@code n} whose subnet's broadcast address {@code gateway} is, or
     * null: the kernel adds a broadcast route for it (a /31 or /32 has none) and takes no gateway there.
     */
    private static IpPrefix broadcastOf(Drafts.Ns n, InetAddress gateway) {
        for (Drafts.Dev d : n.devices.values()) {
            for (IpPrefix a : d.addresses) {
                if (gateway.equals(a.broadcast())) {
                    return a;
                }
            }
        }
        return null;
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
