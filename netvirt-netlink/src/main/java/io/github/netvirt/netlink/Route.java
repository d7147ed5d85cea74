package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A route ({@code RTM_NEWROUTE}), as {@code ip route show table all} lists it.
 *
 * @param destination the destination prefix; {@code 0.0.0.0/0} or {@code ::/0} for a default route
 * @param gateway next hop, null for a directly connected route; an IPv6 address for an IPv4 route
 *     through an IPv6 next hop ({@code via inet6}, {@code RTA_VIA})
 * @param outputIndex ifindex of the output device, 0 for none
 * @param table routing table (254 main, 255 local)
 * @param metric {@code RTA_PRIORITY}, 0 when unset
 * @param protocol {@code RTPROT_*} (2 kernel, 3 boot, 4 static)
 * @param scope {@code RT_SCOPE_*}
 * @param type {@code RTN_*} (1 unicast, 2 local ...)
 * @param tos {@code rtm_tos}: the TOS an IPv4 route is for ({@code ip route ... tos}), 0 for any; the
 *     kernel keeps routes of one destination, metric and table apart by it
 * @param flags {@code RTNH_F_*} (4 onlink)
 * @param preferredSource {@code RTA_PREFSRC}, null when none
 * @param metrics {@code RTA_METRICS} ({@code mtu}, {@code advmss}, ...), {@link RouteMetrics#NONE} when none
 * @param pref IPv6 router preference {@code RTA_PREF} ({@code ICMPV6_ROUTER_PREF_*}: 0 medium, 1 high, 3
 *     low); 0 for IPv4
 * @param realm {@code RTA_FLOW} ({@code realm}, as {@code ip route}'s {@code realms}: the source realm
 *     in the high 16 bits), 0 when none
 * @param expires what is left of an IPv6 route's lifetime ({@code expires}) when it was read, null
 *     when it does not expire
 * @param nexthops its next hops when it has several ({@code RTA_MULTIPATH}; then {@code gateway} is
 *     null and {@code outputIndex} 0), empty otherwise
 */
public record Route(
        IpPrefix destination,
        InetAddress gateway,
        int outputIndex,
        int table,
        int metric,
        int protocol,
        int scope,
        int type,
        int tos,
        int flags,
        InetAddress preferredSource,
        RouteMetrics metrics,
        int pref,
        int realm,
        Duration expires,
        List<Nexthop> nexthops) {
    public Route {
        Objects.requireNonNull(metrics, "metrics");
        nexthops = List.copyOf(nexthops);
    }

    public boolean isDefault() {
        return destination.prefixLength() == 0;
    }

    public boolean isIpv4() {
        return destination.isIpv4();
    }

    public boolean isOnLink() {
        return (flags & Nl.RTNH_F_ONLINK) != 0;
    }
}
