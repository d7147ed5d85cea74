package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Route;
import io.github.netvirt.netlink.RouteSpec;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.sys.Errno;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Deletes a route the topology added, only in a change of a live topology: the one the kernel lists
 * by the route's destination, metric and table, if it goes via the route's gateway and out of the
 * topology's own device, or for a route declared without one, out of the device the kernel chose
 * when the topology added it ({@link #ours}); nothing if the kernel lists none ({@link Topology#down}
 * took it, or someone deleted it).
 */
record RouteDelStep(TopologySpec spec, NamespaceRoute route) implements Op {

    @Override
    public String ns() {
        return route.ns();
    }

    /**
     * {@code ip route del} of the route, its metric written even when it is the default for IPv6
     * (1024): {@code ip -6 route del} without one deletes the first route of the destination (and
     * gateway, device) whatever its metric, a lower one first. IPv4's default, 0, is the lowest.
     */
    @Override
    public List<String> commands() {
        boolean v6Default =
                !route.destination().isIpv4() && route.metric() == NamespaceRoute.defaultMetric(route.destination());
        return List.of(Iproute2.ip(spec, route.ns()) + "route del " + route.iproute2()
                + (v6Default ? " metric " + route.metric() : ""));
    }

    @Override
    public boolean batched() {
        return false;
    }

    @Override
    public void carryOut(Kernel k) {
        Optional<Route> own = own(listed(k.res().handle(route.ns()), route), route, k.res(), spec);
        if (own.isEmpty()) {
            return; // refused before the change began (LiveChange#delta) if another's is in its place
        }
        try {
            k.res()
                    .handle(route.ns())
                    .routeDel(del(own.get(), route, output(route, k.res(), spec).getAsInt()));
        } catch (NetlinkException e) {
            // gone already: a device going down takes its routes
            if (!e.is(Errno.ESRCH)) {
                throw e;
            }
        }
    }

    /**
     * The request that deletes {@code own}, route {@code r} out of ifindex {@code output} as the kernel
     * lists it, and no other of its destination, metric and table: the kernel deletes the first that
     * matches. IPv4 matches TOS (the request's is 0, as netvirt's), type, scope, protocol, gateway and
     * device, and a preferred source and metrics the request has; IPv6 gateway and device (of a route
     * listed with several next hops, each is a route of its own there, and one with a gateway is
     * deleted alone).
     */
    static RouteSpec del(Route own, NamespaceRoute r, int output) {
        RouteSpec del =
                RouteSpec.to(r.destination()).dev(output).table(r.table()).metric(r.metric());
        del = r.gateway() == null ? del : del.via(r.gateway());
        if (!r.destination().isIpv4()) {
            return del;
        }
        del = del.type(own.type()).scope(own.scope()).protocol(own.protocol()).metrics(own.metrics());
        return own.preferredSource() == null ? del : del.source(own.preferredSource());
    }

    @Override
    public String subject() {
        return TopologySpec.label(route.ns()) + ": " + route.iproute2();
    }

    /**
     * The routes {@code h}'s namespace lists by {@code r}'s destination, metric and table, whoever's, in
     * the kernel's order; of TOS 0, as netvirt adds them (the kernel tells another TOS's apart).
     */
    static List<Route> listed(NetlinkHandle h, NamespaceRoute r) {
        return h.routeList(r.table()).stream()
                .filter(x -> x.table() == r.table()
                        && x.metric() == r.metric()
                        && x.tos() == 0
                        && x.destination().equals(r.destination()))
                .toList();
    }

    /**
     * The one of {@code listed} that is route {@code r} as the topology added it ({@link #ours}): of
     * those alike but in what the topology never sets (protocol, type, preferred source, metrics),
     * one as it sets them.
     */
    static Optional<Route> own(List<Route> listed, NamespaceRoute r, Resources res, TopologySpec spec) {
        List<Route> ours = listed.stream().filter(x -> ours(x, r, res, spec)).toList();
        return ours.stream()
                .filter(x -> x.protocol() == Nl.RTPROT_BOOT
                        && x.type() == Nl.RTN_UNICAST
                        && x.preferredSource() == null
                        && x.metrics().isEmpty())
                .findFirst()
                .or(() -> ours.stream().findFirst());
    }

    /**
     * Whether the kernel's {@code listed} is route {@code r} as the topology added it: via its gateway,
     * out of the device it went out of then ({@link #output}); an IPv4 route with several next hops is
     * not, an IPv6 one is when one of them is (IPv6 lists routes of one destination and metric with
     * gateways as one such route, and keeps them apart).
     */
    static boolean ours(Route listed, NamespaceRoute r, Resources res, TopologySpec spec) {
        OptionalInt own = output(r, res, spec);
        if (own.isEmpty()) {
            return false;
        }
        if (listed.nexthops().isEmpty()) {
            return Objects.equals(listed.gateway(), r.gateway()) && own.getAsInt() == listed.outputIndex();
        }
        return !listed.isIpv4()
                && r.gateway() != null
                && listed.nexthops().stream()
                        .anyMatch(n -> r.gateway().equals(n.gateway()) && n.outputIndex() == own.getAsInt());
    }

    /**
     * The ifindex route {@code r} went out of as the topology added it: its device's, or for a route
     * declared without one, the one the kernel chose and echoed ({@link Resources#routeOutputs});
     * empty when the device is gone or is someone else's, or the kernel's choice was never learnt.
     */
    static OptionalInt output(NamespaceRoute r, Resources res, TopologySpec spec) {
        if (r.dev() != null) {
            return res.ownIndex(spec, r.ns(), r.dev());
        }
        Integer chosen = res.routeOutputs.get(r);
        return chosen == null ? OptionalInt.empty() : OptionalInt.of(chosen);
    }

    /**
     * Why {@code r}, which a change removes, may not be deleted: the kernel lists none of its
     * destination, metric and table as the topology added it, and another in its place (replaced
     * through {@link Topology#netlink}); null when it may (the kernel lists it as the topology added
     * it, among others or not, or lists none).
     */
    static String notOurs(NamespaceRoute r, Resources res, TopologySpec spec) {
        List<Route> listed = listed(res.handle(r.ns()), r);
        if (listed.isEmpty() || own(listed, r, res, spec).isPresent()) {
            return null;
        }
        Route x = listed.get(0);
        OptionalInt own = output(r, res, spec);
        return "the kernel's route to " + r.destination() + " of metric " + r.metric() + " in table " + r.table()
                + " is not the one the topology added ("
                + (x.gateway() == null ? "no gateway" : "via " + IpPrefix.format(x.gateway()))
                + (own.isPresent() && own.getAsInt() != x.outputIndex()
                        ? ", out of ifindex " + x.outputIndex() + ", not " + own.getAsInt()
                        : ", ifindex " + x.outputIndex())
                + (x.nexthops().isEmpty() ? "" : ", multipath")
                + ", protocol " + x.protocol() + "): netvirt deletes only its own; delete it with netlink(\""
                + r.ns() + "\").routeDel(...)";
    }
}
