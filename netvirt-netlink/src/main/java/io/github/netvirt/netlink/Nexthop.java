package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.internal.Require;
import java.net.InetAddress;

/**
 * One next hop of a route with several ({@code RTA_MULTIPATH}, {@code ip route add DST nexthop via GW
 * dev DEV weight W nexthop ...}).
 *
 * @param gateway the next hop's gateway, null for none (a directly connected next hop)
 * @param outputIndex ifindex of its device, 0 for none
 * @param weight its weight, 1..256 ({@code rtnh_hops} + 1)
 * @param flags {@code RTNH_F_*} (4 onlink; in dumps also 1 dead, 16 linkdown)
 */
public record Nexthop(InetAddress gateway, int outputIndex, int weight, int flags) {
    public Nexthop {
        Require.inRange(weight, 1, 256, "weight");
        Require.nonNegative(outputIndex, "outputIndex");
    }

    public boolean isOnLink() {
        return (flags & Nl.RTNH_F_ONLINK) != 0;
    }
}
