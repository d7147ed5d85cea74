package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netns.Names;
import java.net.InetAddress;
import java.util.List;

/**
 * Which route the kernel checks an IPv6 gateway by. IPv4 looks a gateway up among routes without
 * a gateway alone (scope link, {@code fib_check_nh}), so any of them that covers it will do. IPv6
 * ({@code ip6_route_check_nh}) takes the longest match out of the route's device (any device
 * without one), and refuses the gateway (EHOSTUNREACH) when that match has a gateway itself, though
 * a less specific route without one covers it: first in the route's table, then, if that fails, in
 * the tables the default rules look up (main, then default; the first with a match decides).
 */
final class Ipv6Gateways {
    /** {@code RT_TABLE_DEFAULT}, looked up after main by the kernel's default rules. */
    private static final int DEFAULT_TABLE = 253;
    /** The metric of the route the kernel makes to the subnet of an IPv6 address ({@code IP6_RT_PRIO_ADDRCONF}). */
    private static final int PREFIX_ROUTE_METRIC = 256;

    private Ipv6Gateways() {}

    /** The longest match found for a gateway in one table: the route with a gateway that decides, or none. */
    private record Match(int length, int metric, Drafts.Route via, String onLink) {}

    /**
     * The problem of route {@code r} ({@code route} resolved) of namespace {@code n}, whose gateway
     * is IPv6 and not link-local, when the route the kernel would check its gateway by is one of
     * {@code routes} with a gateway; else null. {@code routes} are the routes the kernel holds when it
     * adds {@code r}; the kernel's prefix routes are those of the addresses of {@code n}'s up devices.
     * Where a route with a gateway and one without tie (length and metric), nothing is reported.
     */
    static String shadowed(Drafts.Ns n, Drafts.Route r, NamespaceRoute route, List<Drafts.Route> routes) {
        Match m = longest(n, r, route, routes, route.table());
        if (m == null || m.via() != null) {
            Match main = longest(n, r, route, routes, NamespaceRoute.MAIN_TABLE);
            if (main == null) {
                main = longest(n, r, route, routes, DEFAULT_TABLE);
            }
            m = main != null ? main : m;
        }
        if (m == null || m.via() == null) {
            return null;
        }
        InetAddress gateway = route.gateway();
        String dev = route.dev() != null ? route.dev() : onLink(n, r, route, routes);
        String g = IpPrefix.format(gateway);
        return "gateway " + g + " is reached through " + m.via().text() + ", which has a gateway itself: the"
                + " kernel checks an IPv6 gateway by its longest matching route"
                + (route.dev() != null ? " out of " + Names.printable(route.dev()) : "")
                + " and would refuse it (EHOSTUNREACH; IPv4 passes over routes with a gateway there)"
                + (dev == null
                        ? ""
                        : ": declare a route to it without a gateway, route(\"" + g + "/128\", null, \""
                                + Names.printable(dev) + "\")");
    }

    /**
     * The longest match for {@code route}'s gateway in {@code table} among routes out of its device
     * (when it has one), or null if none covers it. A route with a gateway and without a device is
     * counted only for a route without a device (the device the kernel gave it is not told here).
     */
    private static Match longest(
            Drafts.Ns n, Drafts.Route r, NamespaceRoute route, List<Drafts.Route> routes, int table) {
        InetAddress gateway = route.gateway();
        String dev = route.dev();
        Match best = null;
        if (table == NamespaceRoute.MAIN_TABLE) {
            for (Drafts.Dev d : n.devices.values()) {
                if (d.kind == null
                        || dev != null && !dev.equals(d.name)
                        || !d.ups.isEmpty() && !d.ups.get(d.ups.size() - 1)) {
                    continue;
                }
                for (IpPrefix a : d.addresses) {
                    if (a.isIpv6() && a.contains(gateway)) {
                        best = better(best, new Match(a.prefixLength(), PREFIX_ROUTE_METRIC, null, d.name));
                    }
                }
            }
        }
        for (Drafts.Route o : routes) {
            if (o == r || o.destination().isIpv4() || !o.destination().contains(gateway)) {
                continue;
            }
            NamespaceRoute x = o.resolved(n.name);
            if (x.table() != table || dev != null && !dev.equals(o.dev()) || o.dev() == null && o.gateway() == null) {
                continue;
            }
            Match m = new Match(o.destination().prefixLength(), x.metric(), o.gateway() != null ? o : null, o.dev());
            best = better(best, m);
        }
        return best;
    }

    /** The match the kernel takes of two: the longer prefix, then the lower metric; on a tie, one without a gateway. */
    private static Match better(Match a, Match b) {
        if (a == null) {
            return b;
        }
        if (a.length() != b.length()) {
            return a.length() > b.length() ? a : b;
        }
        if (a.metric() != b.metric()) {
            return a.metric() < b.metric() ? a : b;
        }
        return a.via() == null ? a : b;
    }

    /** The device of the longest route without a gateway that covers {@code route}'s gateway in main, or null. */
    private static String onLink(Drafts.Ns n, Drafts.Route r, NamespaceRoute route, List<Drafts.Route> routes) {
        String dev = null;
        int length = -1;
        for (Drafts.Dev d : n.devices.values()) {
            for (IpPrefix a : d.kind == null ? List.<IpPrefix>of() : d.addresses) {
                if (a.isIpv6() && a.contains(route.gateway()) && a.prefixLength() > length) {
                    dev = d.name;
                    length = a.prefixLength();
                }
            }
        }
        for (Drafts.Route o : routes) {
            if (o != r
                    && o.gateway() == null
                    && o.dev() != null
                    && o.destination().isIpv6()
                    && o.destination().contains(route.gateway())
                    && o.destination().prefixLength() > length) {
                dev = o.dev();
                length = o.destination().prefixLength();
            }
        }
        return dev;
    }
}
