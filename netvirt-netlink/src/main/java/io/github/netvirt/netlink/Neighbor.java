package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import java.net.InetAddress;

/**
 * A neighbour entry ({@code RTM_NEWNEIGH}): an ARP/NDP entry, or a bridge FDB entry (family
 * {@code AF_BRIDGE} = 7, no IP address).
 *
 * @param family 2 (IPv4), 10 (IPv6) or 7 (bridge FDB)
 * @param index ifindex of the link (the bridge port for FDB entries)
 * @param ip the neighbour's IP address, null for FDB entries
 * @param mac the link-layer address, null when unresolved
 * @param state {@code NUD_*} (0x80 permanent, 0x02 reachable, 0x40 noarp ...)
 * @param flags {@code NTF_*} (0x02 self, 0x04 master)
 * @param vlan VLAN id of an FDB entry, 0 when none
 * @param masterIndex {@code NDA_MASTER}: the bridge of an FDB entry, 0 when none
 */
public record Neighbor(
        int family, int index, InetAddress ip, MacAddress mac, int state, int flags, int vlan, int masterIndex) {
    public boolean isPermanent() {
        return (state & Nl.NUD_PERMANENT) != 0;
    }

    public boolean isFdb() {
        return family == Nl.AF_BRIDGE;
    }
}
