package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.internal.Require;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What {@code ip route add} takes: a destination, and a gateway and/or output device, in the main or
 * a numbered table, with a metric, on-link flag, scope, preferred source, metrics ({@code mtu} ...),
 * type, realm, IPv4 TOS, several next hops, and IPv6 {@code pref} and {@code expires}. Immutable; each setter
 * returns a new spec.
 *
 * <pre>
 * RouteSpec.to(IpPrefix.parse("10.2.0.0/16")).via(gw).dev("eth0").metric(50)
 * RouteSpec.defaultRoute(false).via(IpPrefix.parseAddress("10.0.0.1"))
 * </pre>
 */
public final class RouteSpec {
    final IpPrefix destination;
    final InetAddress gateway;
    final LinkRef dev;
    /** 0 when unset: the local table for a local, broadcast, anycast or nat route, main for others. */
    final int table;

    final int metric;
    final boolean onLink;
    final int scope;
    final InetAddress source;
    final int protocol;
    // the fields below are set only by their setters on the copy they return, and by {@link #copy}
    RouteMetrics metrics = RouteMetrics.NONE;
    /** {@code RTA_PREF}, -1 when unset. */
    int pref = -1;
    /** {@code RTN_*}, -1 when unset (unicast for an add, any for a delete). */
    int type = -1;
    /** {@code RTA_FLOW}, 0 when none. */
    int realm;
    /** {@code rtm_tos}, 0 for any. */
    int tos;
    /** {@code RTA_EXPIRES} in seconds, 0 when the route does not expire. */
    int expires;
    /** {@code RTA_MULTIPATH}, empty when the route has one next hop. */
    List<Nexthop> nexthops = List.of();

    private RouteSpec(
            IpPrefix destination,
            InetAddress gateway,
            LinkRef dev,
            int table,
            int metric,
            boolean onLink,
            int scope,
            InetAddress source,
            int protocol) {
        this.destination = destination;
        this.gateway = gateway;
        this.dev = dev;
        this.table = table;
        this.metric = metric;
        this.onLink = onLink;
        this.scope = scope;
        this.source = source;
        this.protocol = protocol;
    }

    /** A route to {@code destination} (host bits must be clear, as the kernel demands). */
    public static RouteSpec to(IpPrefix destination) {
        if (!destination.network().equals(destination)) {
            throw new IllegalArgumentException(
                    "route destination " + destination + " has host bits set (use " + destination.network() + ")");
        }
        return new RouteSpec(destination, null, null, 0, -1, false, -1, null, -1);
    }

    /** The default route ({@code 0.0.0.0/0}, or {@code ::/0} when {@code ipv6}). */
    public static RouteSpec defaultRoute(boolean ipv6) {
        return to(IpPrefix.parse(ipv6 ? "::/0" : "0.0.0.0/0"));
    }

    /**
     * {@code via GATEWAY}: of the destination's family, or an IPv6 gateway for an IPv4 destination
     * ({@code via inet6}, {@code RTA_VIA}, Linux 5.2); an IPv6 route has an IPv6 gateway.
     */
    public RouteSpec via(InetAddress gateway) {
        if (!gatewayFits(gateway)) {
            throw new IllegalArgumentException(
                    "gateway " + IpPrefix.format(gateway) + " is not of the family of " + destination);
        }
        return copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
    }

    public RouteSpec dev(String name) {
        return copy(
                new RouteSpec(destination, gateway, LinkRef.of(name), table, metric, onLink, scope, source, protocol));
    }

    public RouteSpec dev(int index) {
        return copy(
                new RouteSpec(destination, gateway, LinkRef.of(index), table, metric, onLink, scope, source, protocol));
    }

    /**
     * Table id ({@code RTA_TABLE}), read unsigned as the kernel's u32: 1..2^31-1 as given, and a
     * negative {@code table} is the id above 2^31-1 with the same 32 bits ({@code -1} is 4294967295,
     * as {@link Integer#toUnsignedString(int)} shows it). 254 is main, 253 default, 255 local; 0 is
     * refused (the kernel would take it as main). Unset, as {@code ip route}: local for a route of type
     * local, broadcast, anycast or nat, main for the others.
     */
    public RouteSpec table(int table) {
        if (table == 0) {
            throw new IllegalArgumentException("table 0 is not a table");
        }
        return copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
    }

    /** {@code metric} ({@code RTA_PRIORITY}). */
    public RouteSpec metric(int metric) {
        Require.nonNegative(metric, "metric");
        return copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
    }

    /** Pretend the gateway is directly on the link ({@code onlink}) even without a matching prefix. */
    public RouteSpec onLink() {
        return copy(new RouteSpec(destination, gateway, dev, table, metric, true, scope, source, protocol));
    }

    /**
     * {@code RT_SCOPE_*}; by default as {@code ip route}: host for a local or nat route, link for a
     * broadcast, multicast or anycast one and for a unicast one without a gateway, universe for the
     * others.
     */
    public RouteSpec scope(int scope) {
        Require.inRange(scope, 0, 255, "scope");
        return copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
    }

    /** Preferred source address ({@code src}). */
    public RouteSpec source(InetAddress src) {
        if ((src instanceof Inet6Address) == destination.isIpv4()) {
            throw new IllegalArgumentException(
                    "source " + IpPrefix.format(src) + " is not of the family of " + destination);
        }
        return copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, src, protocol));
    }

    /**
     * {@code RTPROT_*} (default 3, boot, as iproute2); in a delete, only a route of that protocol (as
     * {@code ip route del ... proto}), any without it.
     */
    public RouteSpec protocol(int protocol) {
        Require.inRange(protocol, 0, 255, "protocol");
        return copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
    }

    /** The path MTU of this route ({@code mtu}, an {@code RTA_METRICS} entry); the other metrics kept. */
    public RouteSpec mtu(int mtu) {
        Mtu.check(mtu);
        return metrics(metrics.with(Nl.RTAX_MTU, mtu));
    }

    /** All the metrics of this route ({@code RTA_METRICS}: {@code mtu}, {@code advmss}, ...), replacing any set before. */
    public RouteSpec metrics(RouteMetrics metrics) {
        Objects.requireNonNull(metrics, "metrics");
        RouteSpec r = copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
        r.metrics = metrics;
        return r;
    }

    /**
     * IPv6 router preference ({@code pref}, {@code RTA_PREF}): 0 medium (the kernel's default), 1 high,
     * 3 low.
     */
    public RouteSpec pref(int pref) {
        if (destination.isIpv4()) {
            throw new IllegalArgumentException("pref: " + destination + " is not IPv6 (IPv4 routes have no pref)");
        }
        if (pref != 0 && pref != 1 && pref != 3) {
            throw new IllegalArgumentException("pref " + pref + ": 0 (medium), 1 (high) or 3 (low)");
        }
        RouteSpec r = copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
        r.pref = pref;
        return r;
    }

    /**
     * The route's type ({@code RTN_*}): 1 unicast (the default), 3 {@code broadcast}, 4 {@code anycast},
     * 5 {@code multicast}, 2 {@code local} ... (those with a device); 6 {@code blackhole}, 7 {@code
     * unreachable}, 8 {@code prohibit} and 9 {@code throw} have no next hop (no {@link #via}, {@link
     * #dev} or {@link #nexthops}). In a delete, only a route of that type, any without it. The type
     * chooses the default {@link #table} and {@link #scope}.
     */
    public RouteSpec type(int type) {
        Require.inRange(type, 1, 11, "type");
        RouteSpec r = copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
        r.type = type;
        return r;
    }

    /** {@code realm} ({@code RTA_FLOW}: the destination realm, a source realm in the high 16 bits). */
    public RouteSpec realm(int realm) {
        RouteSpec r = copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
        r.realm = realm;
        return r;
    }

    /**
     * An IPv4 route for packets of this TOS only ({@code tos}; its two ECN bits 0), kept apart by the
     * kernel from routes of the same destination, metric and table with another; in a delete, only
     * the route of that TOS (0, the default: only the one without).
     */
    public RouteSpec tos(int tos) {
        if (!destination.isIpv4()) {
            throw new IllegalArgumentException("tos: " + destination + " is not IPv4");
        }
        Require.inRange(tos, 0, 255, "tos");
        if ((tos & 3) != 0) {
            throw new IllegalArgumentException("tos " + tos + ": its two ECN bits must be 0");
        }
        RouteSpec r = copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
        r.tos = tos;
        return r;
    }

    /** An IPv6 route that the kernel deletes {@code seconds} from now ({@code expires}). */
    public RouteSpec expires(int seconds) {
        if (destination.isIpv4()) {
            throw new IllegalArgumentException("expires: " + destination + " is not IPv6 (IPv4 routes do not expire)");
        }
        Require.positive(seconds, "expires");
        RouteSpec r = copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
        r.expires = seconds;
        return r;
    }

    /**
     * A route with several next hops ({@code nexthop via GW dev DEV weight W nexthop ...}), instead of
     * {@link #via} and {@link #dev}; a next hop's flags may only be onlink.
     */
    public RouteSpec nexthops(List<Nexthop> nexthops) {
        if (nexthops.isEmpty()) {
            throw new IllegalArgumentException("nexthops: none");
        }
        if (gateway != null || dev != null) {
            throw new IllegalArgumentException("nexthops: a route with several next hops has no via/dev of its own");
        }
        for (Nexthop n : nexthops) {
            if (n.gateway() != null && !gatewayFits(n.gateway())) {
                throw new IllegalArgumentException(
                        "nexthop via " + IpPrefix.format(n.gateway()) + " is not of the family of " + destination);
            }
            if (n.gateway() == null && n.outputIndex() == 0) {
                throw new IllegalArgumentException("nexthop needs a gateway or a device");
            }
            if ((n.flags() & ~Nl.RTNH_F_ONLINK) != 0) {
                throw new IllegalArgumentException("nexthop flags " + n.flags() + ": only onlink (4) can be set");
            }
        }
        RouteSpec r = copy(new RouteSpec(destination, gateway, dev, table, metric, onLink, scope, source, protocol));
        r.nexthops = List.copyOf(nexthops);
        return r;
    }

    /** A gateway of the destination's family, or an IPv6 one for an IPv4 destination ({@code via inet6}). */
    private boolean gatewayFits(InetAddress gateway) {
        return gateway instanceof Inet6Address || destination.isIpv4();
    }

    private RouteSpec copy(RouteSpec r) {
        r.nexthops = nexthops;
        r.metrics = metrics;
        r.pref = pref;
        r.type = type;
        r.realm = realm;
        r.tos = tos;
        r.expires = expires;
        return r;
    }

    void checkComplete() {
        if (!nexthops.isEmpty() && (gateway != null || dev != null)) {
            throw new IllegalArgumentException("route to " + destination + ": nexthops and via/dev");
        }
        if (withoutNexthop() && (gateway != null || dev != null || !nexthops.isEmpty())) {
            throw new IllegalArgumentException("route to " + destination + ": a "
                    + List.of("blackhole", "unreachable", "prohibit", "throw").get(type - Nl.RTN_BLACKHOLE)
                    + " route has no via, dev or nexthops");
        }
        if (gateway == null && dev == null && nexthops.isEmpty() && !withoutNexthop()) {
            throw new IllegalArgumentException("route to " + destination + " needs a gateway or a device");
        }
        if (onLink && gateway == null) {
            throw new IllegalArgumentException("onlink needs a gateway");
        }
    }

    /** A blackhole, unreachable, prohibit or throw route: the kernel refuses a next hop for one. */
    private boolean withoutNexthop() {
        return type >= Nl.RTN_BLACKHOLE && type <= Nl.RTN_THROW;
    }

    /** The table id sent: the one set, or iproute2's default for the type. */
    int tableId() {
        if (table != 0) {
            return table;
        }
        return type == Nl.RTN_LOCAL || type == Nl.RTN_BROADCAST || type == Nl.RTN_ANYCAST || type == Nl.RTN_NAT
                ? Nl.RT_TABLE_LOCAL
                : Nl.RT_TABLE_MAIN;
    }

    /** The scope sent in an add or a replace: the one set, or iproute2's default for the type. */
    int scopeToAdd() {
        if (scope >= 0) {
            return scope;
        }
        return switch (type < 0 ? Nl.RTN_UNICAST : type) {
            case Nl.RTN_LOCAL, Nl.RTN_NAT -> Nl.RT_SCOPE_HOST;
            case Nl.RTN_BROADCAST, Nl.RTN_MULTICAST, Nl.RTN_ANYCAST -> Nl.RT_SCOPE_LINK;
            case Nl.RTN_UNICAST -> gateway == null && nexthops.isEmpty() ? Nl.RT_SCOPE_LINK : Nl.RT_SCOPE_UNIVERSE;
            default -> Nl.RT_SCOPE_UNIVERSE;
        };
    }

    /** {@code " via "}, or {@code " via inet6 "} as {@code ip route} prints a gateway of another family. */
    private String gatewayFamily(InetAddress gateway) {
        return (gateway instanceof Inet4Address) == destination.isIpv4() ? " via " : " via inet6 ";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type < 0 || type == Nl.RTN_UNICAST ? "" : "type " + type + " ");
        sb.append(destination.prefixLength() == 0 ? "default" : destination.toString());
        if (gateway != null) {
            sb.append(gatewayFamily(gateway)).append(IpPrefix.format(gateway));
        }
        if (dev != null) {
            sb.append(" dev ").append(dev);
        }
        if (tableId() != Nl.RT_TABLE_MAIN) {
            sb.append(" table ").append(Integer.toUnsignedString(tableId()));
        }
        if (metric >= 0) {
            sb.append(" metric ").append(metric);
        }
        if (onLink) {
            sb.append(" onlink");
        }
        for (Nexthop n : nexthops) {
            sb.append(" nexthop");
            if (n.gateway() != null) {
                sb.append(gatewayFamily(n.gateway())).append(IpPrefix.format(n.gateway()));
            }
            if (n.outputIndex() > 0) {
                sb.append(" dev #").append(n.outputIndex());
            }
            sb.append(" weight ").append(n.weight());
            if (n.isOnLink()) {
                sb.append(" onlink");
            }
        }
        if (realm != 0) {
            sb.append(" realm ").append(Integer.toUnsignedString(realm));
        }
        if (tos != 0) {
            sb.append(String.format(" tos 0x%02x", tos));
        }
        if (expires > 0) {
            sb.append(" expires ").append(expires);
        }
        if (pref >= 0) {
            sb.append(" pref ").append(pref == 1 ? "high" : pref == 3 ? "low" : "medium");
        }
        if (!metrics.isEmpty()) {
            sb.append(' ').append(metrics);
        }
        return sb.toString();
    }
}
