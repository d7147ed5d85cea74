package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.internal.EachOf;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A device set down ({@code ip link set dev DEV down}) with what the kernel took from it noted, so
 * that {@link #setUp} gives it back.
 *
 * <p>Setting a device down makes the kernel delete the routes through it (IPv4 and IPv6) and its
 * IPv6 addresses ({@code keep_addr_on_down} is 0 by default), and setting it up brings back only
 * what the kernel makes itself (prefix routes, link-local addresses).
 */
public final class DownedLink {
    private final int index;
    private final boolean wasUp;
    private final List<Address> addresses;
    private final List<Route> routes;

    private DownedLink(int index, boolean wasUp, List<Address> addresses, List<Route> routes) {
        this.index = index;
        this.wasUp = wasUp;
        this.addresses = addresses;
        this.routes = routes;
    }

    /**
     * Notes the routes through {@code link} of {@code h}'s namespace (but the kernel's own and the
     * local table's) and its global IPv6 addresses, then sets it down.
     *
     * @throws NetlinkException if the kernel refuses (ENODEV when there is no such device)
     */
    public static DownedLink setDown(NetlinkHandle h, Link link) {
        int index = link.index();
        List<Address> addresses = new ArrayList<>();
        for (Address a : h.addrList()) {
            if (a.index() == index
                    && !a.isIpv4()
                    && a.scope() != Nl.RT_SCOPE_LINK
                    && (a.flags() & Nl.IFA_F_PERMANENT) != 0) {
                addresses.add(a);
            }
        }
        List<Route> routes = new ArrayList<>();
        for (Route r : h.routeList()) {
            if (r.outputIndex() == index
                    && r.type() == Nl.RTN_UNICAST
                    && r.protocol() != Nl.RTPROT_KERNEL
                    && r.table() != Nl.RT_TABLE_LOCAL) {
                routes.add(r);
            }
        }
        // a gateway must be reachable when its route is added: the routes without one first
        routes.sort(Comparator.comparing(r -> r.gateway() != null));
        h.linkSetDown(index);
        return new DownedLink(index, link.isUp(), List.copyOf(addresses), List.copyOf(routes));
    }

    /** This note without the addresses {@code gone} accepts: those removed since are not given back. */
    public DownedLink withoutAddresses(Predicate<IpPrefix> gone) {
        return new DownedLink(
                index,
                wasUp,
                addresses.stream().filter(a -> !gone.test(a.prefix())).toList(),
                routes);
    }

    /** The device's ifindex. */
    public int index() {
        return index;
    }

    /** Whether the device was up before {@link #setDown}. */
    public boolean wasUp() {
        return wasUp;
    }

    /**
     * Sets the device up, then adds back the IPv6 addresses, then the routes, that the down took and
     * are still missing. Tries each and throws the first failure.
     *
     * @throws NetlinkException if the kernel refuses
     */
    public void setUp(NetlinkHandle h) {
        h.linkSetUp(index);
        List<RuntimeException> errors = new ArrayList<>();
        List<Address> now = h.addrList();
        for (Address a : addresses) {
            if (now.stream().noneMatch(x -> x.index() == index && x.prefix().equals(a.prefix()))) {
                AddressSpec spec = AddressSpec.of(index, a.prefix()).scope(a.scope());
                if (a.peer() != null) {
                    spec = spec.peer(a.peer());
                }
                if ((a.flags() & Nl.IFA_F_NODAD) != 0) {
                    spec = spec.noDad();
                }
                try {
                    h.addrAdd(spec);
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }
        }
        List<Route> present = h.routeList();
        for (Route r : routes) {
            if (present.stream().noneMatch(x -> sameRoute(x, r))) {
                try {
                    h.routeAdd(spec(r));
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }
        }
        EachOf.throwFirst(errors);
    }

    private boolean sameRoute(Route x, Route r) {
        return x.outputIndex() == index
                && x.destination().equals(r.destination())
                && Objects.equals(x.gateway(), r.gateway())
                && x.table() == r.table()
                && x.metric() == r.metric();
    }

    private RouteSpec spec(Route r) {
        RouteSpec s = RouteSpec.to(r.destination())
                .dev(index)
                .table(r.table())
                .metric(r.metric())
                .scope(r.scope())
                .protocol(r.protocol());
        if (r.gateway() != null) {
            s = s.via(r.gateway());
        }
        if (r.isOnLink()) {
            s = s.onLink();
        }
        if (r.preferredSource() != null) {
            s = s.source(r.preferredSource());
        }
        return s;
    }
}
