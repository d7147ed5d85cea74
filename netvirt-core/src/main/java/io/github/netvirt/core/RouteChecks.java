package io.github.netvirt.core;

import static io.github.netvirt.core.Validator.noIpv6;
import static io.github.netvirt.core.Validator.notTheTopologys;
import static io.github.netvirt.core.Validator.quietTap;

import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netns.Names;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of a validation on a namespace's routes: removeRoute(...), a route the kernel would
 * refuse or has made already, a second route to one destination, the device a route goes out of.
 */
final class RouteChecks {
    /** The metric of the route the kernel makes to the subnet of an IPv6 address ({@code IP6_RT_PRIO_ADDRCONF}). */
    private static final int IPV6_PREFIX_ROUTE_METRIC = 256;

    /** The prefix of the kernel's route for each up device's IPv6 link-local address. */
    private static final IpPrefix LINK_LOCAL = IpPrefix.parse("fe80::/64");

    private final List<String> problems;
    /** The live topology's description a change began from, or null. */
    private final TopologySpec base;
    /** What the validation reads of the live topology in the kernel, or null. */
    private final Validator.Kernel kernel;

    RouteChecks(Validation v) {
        this.problems = v.problems();
        this.base = v.base();
        this.kernel = v.kernel();
    }

    /**
     * The routes of {@code n} without those removeRoute(...) took out, each the one route of its
     * destination, metric and table; a problem for a removal that matches none, whose gateway or
     * device is not the route's, or (in a change) whose live route is declared again and not removed
     * again, and for a removeRoute("default") whose table and metric select default routes of both
     * families.
     */
    List<Drafts.Route> withoutRemoved(Drafts.Ns n, String label) {
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
     * What a second route to the destination of {@code route} should have been, when a change
     * declares it where the live topology has one: a change cannot replace a route.
     */
    String secondRouteHint(String ns, NamespaceRoute route) {
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

    /**
     * The device route {@code r} of {@code n} goes out of: its own, or for one declared without a
     * device in a change, the one the kernel put it out of (read in the kernel for a route of the
     * live topology, as the add's echo told) or would put it out of ({@link Removals#predictedOutput});
     * null if neither is known.
     */
    Removals.Output routeOutput(Drafts.Ns n, Drafts.Route r) {
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

    void checkRoute(Drafts.Ns n, Drafts.Route r, NamespaceRoute route, List<Drafts.Route> declared, String label) {
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
}
