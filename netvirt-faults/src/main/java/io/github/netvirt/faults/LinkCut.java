package io.github.netvirt.faults;

import io.github.netvirt.netlink.Address;
import io.github.netvirt.netlink.AddressSpec;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Route;
import io.github.netvirt.netlink.RouteSpec;
import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A cable pulled: the device is set down ({@code ip link set dev DEV down}) until {@link #heal()}
 * sets it up again. With netvirt-core, {@code Topology.down()}/{@code up()} do the same by logical
 * names; this form needs only a namespace and a device name. Cutting one end of a veth takes the
 * carrier away from the other end too.
 *
 * <p>Setting a device down makes the kernel delete the routes through it (IPv4 and IPv6) and its
 * IPv6 addresses ({@code keep_addr_on_down} is 0 by default), and setting it up brings back only
 * what the kernel makes itself. So the cut notes them, and the heal adds back those that are missing.
 */
public final class LinkCut extends OneShotFault {
    private final NetNamespace ns;
    private final String device;
    private final boolean wasUp;
    private final List<Address> addresses;
    private final List<Route> routes;

    private LinkCut(NetNamespace ns, String device, boolean wasUp, List<Address> addresses, List<Route> routes) {
        super("LinkCut", device);
        this.ns = ns;
        this.device = device;
        this.wasUp = wasUp;
        this.addresses = addresses;
        this.routes = routes;
    }

    /** Sets {@code device} of {@code ns} down. Healing restores it only if it was up before. */
    public static LinkCut cut(NetNamespace ns, String device) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            Link link = h.link(device);
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
            return new LinkCut(ns, device, link.isUp(), List.copyOf(addresses), List.copyOf(routes));
        }
    }

    @Override
    void undo() {
        if (wasUp) {
            inside(ns, h -> {
                h.linkSetUp(device);
                restore(h);
            });
        }
    }

    /** Adds back the IPv6 addresses, then the routes, that the down took and the up did not return. */
    private void restore(NetlinkHandle h) {
        int index = h.linkIndex(device);
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
            if (present.stream().noneMatch(x -> sameRoute(x, r, index))) {
                try {
                    h.routeAdd(spec(r, index));
                } catch (RuntimeException e) {
                    errors.add(e);
                }
            }
        }
        EachOf.throwFirst(errors);
    }

    private static boolean sameRoute(Route x, Route r, int index) {
        return x.outputIndex() == index
                && x.destination().equals(r.destination())
                && Objects.equals(x.gateway(), r.gateway())
                && x.table() == r.table()
                && x.metric() == r.metric();
    }

    private static RouteSpec spec(Route r, int index) {
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

    @Override
    public synchronized String toString() {
        return isActive() ? "LinkCut[" + device + ", cut]" : super.toString();
    }
}
