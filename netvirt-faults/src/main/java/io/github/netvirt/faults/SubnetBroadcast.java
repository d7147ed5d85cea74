package io.github.netvirt.faults;

import io.github.netvirt.netlink.Address;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The broadcast addresses of a namespace's own IPv4 subnets, as its kernel routes them
 * ({@code fib_add_ifaddr}): an address's {@code IFA_BROADCAST} ({@code ip addr add ... brd B}, on a
 * prefix of any length), and the last address of its prefix below /31. A /31 or /32 has no broadcast
 * of its own, nor has a prefix whose network is 0.0.0.0 ({@link IpPrefix#broadcast}). The prefix of a
 * point-to-point address is its peer's.
 */
final class SubnetBroadcast {
    private SubnetBroadcast() {}

    /**
     * The address of {@code ns} that makes {@code target} a broadcast, or null (always for IPv6): one
     * address dump. Whether its device is up does not matter (the kernel routes the broadcast while it is).
     */
    static Address of(NetNamespace ns, InetAddress target) {
        if (!(target instanceof Inet4Address)) {
            return null;
        }
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            for (Address a : h.addrList()) {
                if (a.isIpv4()
                        && (target.equals(a.broadcast())
                                || target.equals(subnetOf(a).broadcast()))) {
                    return a;
                }
            }
            return null;
        }
    }

    /** The subnet the kernel routes for {@code a}: a point-to-point address's is its peer's. */
    private static IpPrefix subnetOf(Address a) {
        return a.peer() == null ? a.prefix() : IpPrefix.of(a.peer(), a.prefix().prefixLength());
    }

    /** {@code 10.0.1.1/24 on eth0}, or {@code 10.0.0.1 peer 10.0.0.2/30 on ppp0}, as {@code ip addr} shows it. */
    static String describe(Address a) {
        String prefix = a.peer() == null
                ? a.prefix().toString()
                : IpPrefix.format(a.prefix().address()) + " peer " + subnetOf(a);
        return prefix + " on " + (a.label().isEmpty() ? "ifindex " + a.index() : a.label());
    }
}
