package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.internal.Require;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A static neighbour entry: an ARP (IPv4) or NDP (IPv6) entry as {@code ip neigh add ... nud permanent},
 * or a bridge FDB entry as {@code bridge fdb add MAC dev PORT master}. Immutable.
 */
public final class NeighborSpec {
    final int family;
    final LinkRef link;
    final InetAddress ip;
    final MacAddress mac;
    final int state;
    final int flags;
    final int vlan;

    private NeighborSpec(int family, LinkRef link, InetAddress ip, MacAddress mac, int state, int flags, int vlan) {
        this.family = family;
        this.link = link;
        this.ip = ip;
        this.mac = mac;
        this.state = state;
        this.flags = flags;
        this.vlan = vlan;
    }

    /**
     * A permanent ARP/NDP entry {@code ip} → {@code mac} on {@code link}. {@code mac} may be null only
     * to name an entry for {@link NetlinkHandle#neighDel}.
     */
    public static NeighborSpec of(String link, InetAddress ip, MacAddress mac) {
        return of(LinkRef.of(link), ip, mac);
    }

    public static NeighborSpec of(int index, InetAddress ip, MacAddress mac) {
        return of(LinkRef.of(index), ip, mac);
    }

    private static NeighborSpec of(LinkRef link, InetAddress ip, MacAddress mac) {
        if (ip == null) {
            throw new IllegalArgumentException("neighbour IP address is null");
        }
        return new NeighborSpec(
                ip instanceof Inet4Address ? Nl.AF_INET : Nl.AF_INET6, link, ip, mac, Nl.NUD_PERMANENT, 0, 0);
    }

    public static NeighborSpec fdb(int portIndex, MacAddress mac) {
        return fdb(LinkRef.of(portIndex), mac);
    }

    /**
     * A static FDB entry for {@code mac} on bridge port {@code port}, in the bridge's table
     * ({@code master}, as {@code bridge fdb add MAC dev PORT master static}).
     */
    public static NeighborSpec fdb(String port, MacAddress mac) {
        return fdb(LinkRef.of(port), mac);
    }

    private static NeighborSpec fdb(LinkRef port, MacAddress mac) {
        if (mac == null) {
            throw new IllegalArgumentException("FDB entry needs a MAC address");
        }
        // iproute2's bridge tool sends NUD_NOARP|NUD_REACHABLE for "static"
        return new NeighborSpec(Nl.AF_BRIDGE, port, null, mac, Nl.NUD_NOARP | Nl.NUD_REACHABLE, Nl.NTF_MASTER, 0);
    }

    /** For FDB entries: in the port's own table ({@code self}) instead of the bridge's. */
    public NeighborSpec self() {
        requireFdb("self");
        return new NeighborSpec(family, link, ip, mac, state, Nl.NTF_SELF, vlan);
    }

    /** For FDB entries: permanent (local) instead of static. */
    public NeighborSpec permanent() {
        return new NeighborSpec(family, link, ip, mac, Nl.NUD_PERMANENT, flags, vlan);
    }

    /** For FDB entries: the VLAN id (1..4094). */
    public NeighborSpec vlan(int vid) {
        requireFdb("vlan");
        Require.inRange(vid, 1, 4094, "VLAN id");
        return new NeighborSpec(family, link, ip, mac, state, flags, vid);
    }

    /**
     * This spec, for an add or a replace: the kernel answers one without a MAC with EINVAL and keeps an
     * entry of the address in state NONE all the same.
     */
    NeighborSpec withMac() {
        if (mac == null) {
            throw new IllegalArgumentException("a neighbour entry to add needs a MAC address: " + this
                    + " (a null MAC only names an entry for neighDel)");
        }
        return this;
    }

    private void requireFdb(String what) {
        if (family != Nl.AF_BRIDGE) {
            throw new IllegalArgumentException(what + " applies to FDB entries only");
        }
    }

    @Override
    public String toString() {
        return (family == Nl.AF_BRIDGE ? "fdb " + mac : IpPrefix.format(ip) + " lladdr " + mac) + " dev " + link;
    }
}
