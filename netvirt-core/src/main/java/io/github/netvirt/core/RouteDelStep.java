package io.github.netvirt.core;

import io.github.netvirt.core.spec.NamespaceRoute;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Route;
import io.github.netvirt.netlink.RouteSpec;
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
        NetlinkHandle h = k.res().handle(route.ns());
        Optional<Route> listed = listed(h, route);
        if (listed.isEmpty() || !ours(listed.get(), route, k.res(), spec)) {
            return; // refused before the change began (LiveChange#delta) if it is another's
        }
        Route r = listed.get();
        RouteSpec del = RouteSpec.to(r.destination())
                .dev(r.outputIndex())
                .table(r.table())
                .metric(r.metric());
        try {
            h.routeDel(r.gateway() == null ? del : del.via(r.gateway()));
        } catch (NetlinkException e) {
            // gone already: a device going down takes its routes
            if (!e.is(Errno.ESRCH)) {
                throw e;
            }
        }
    }

    @Override
    public String subject() {
        return TopologySpec.label(route.ns()) + ": " + route.iproute2();
    }

    /** The route {@code h}'s namespace lists by {@code r}'s destination, metric and table, whoever's. */
    static Optional<Route> listed(NetlinkHandle h, NamespaceRoute r) {
        return h.routeList(r.table()).stream()
                .filter(x -> x.table() == r.table()
                        && x.metric() == r.metric()
                        && x.destination().equals(r.destination()))
                .findFirst();
    }

    /**
     * Whether the kernel's {@code listed} is route {@code r} as the topology added it: via its gateway,
     * out of the device it went out of then ({@link #output}), not a multipath route.
     */
    static boolean ours(Route listed, NamespaceRoute r, Resources res, TopologySpec spec) {
        if (!listed.nexthops().isEmpty() || !Objects.equals(listed.gateway(), r.gateway())) {
            return false;
        }
        OptionalInt own = output(r, res, spec);
        return own.isPresent() && own.getAsInt() == listed.outputIndex();
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
     * Why {@code r}, which a change removes, may not be deleted: the kernel lists another route by its
     * destination, metric and table (replaced through {@link Topology#netlink}); null when it may
     * (the kernel lists it as the topology added it, or lists none).
     */
    static String notOurs(NamespaceRoute r, Resources res, TopologySpec spec) {
        NetlinkHandle h = res.handle(r.ns());
        Optional<Route> listed = listed(h, r);
        if (listed.isEmpty() || ours(listed.get(), r, res, spec)) {
            return null;
        }
        Route x = listed.get();
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
