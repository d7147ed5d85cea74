package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A network device as the kernel reports it ({@code RTM_NEWLINK}): an immutable snapshot.
 *
 * @param index ifindex, unique within its namespace
 * @param name interface name
 * @param kind {@code IFLA_INFO_KIND} ("veth", "bridge", ...), empty string for devices without one (lo, eth)
 * @param flags {@code IFF_*} device flags
 * @param operState operational state
 * @param mtu MTU in bytes
 * @param mac link-layer address, null when the device has none of 6 bytes
 * @param masterIndex ifindex of the master (bridge), 0 for none
 * @param linkIndex {@code IFLA_LINK}: the peer's ifindex for veth, the lower device for macvlan/vxlan; 0 for none
 * @param linkNetnsId {@code IFLA_LINK_NETNSID}: the namespace id of the peer/lower device as seen from this
 *     link's namespace, -1 when it is in the same namespace
 * @param alias {@code IFLA_IFALIAS}, empty when unset
 * @param slaveKind kind of the master's port ("bridge"), empty when not enslaved
 * @param stats counters
 * @param group {@code IFLA_GROUP}, the device group (0: the default group)
 */
public record Link(
        int index,
        String name,
        String kind,
        int flags,
        OperState operState,
        int mtu,
        MacAddress mac,
        int masterIndex,
        int linkIndex,
        int linkNetnsId,
        String alias,
        String slaveKind,
        LinkStats stats,
        int group) {

    /** Administratively up ({@code IFF_UP}). */
    public boolean isUp() {
        return (flags & Nl.IFF_UP) != 0;
    }

    /** Carrier present ({@code IFF_LOWER_UP}). */
    public boolean isLowerUp() {
        return (flags & Nl.IFF_LOWER_UP) != 0;
    }

    public Optional<MacAddress> macAddress() {
        return Optional.ofNullable(mac);
    }

    public OptionalInt master() {
        return masterIndex > 0 ? OptionalInt.of(masterIndex) : OptionalInt.empty();
    }

    /** For a veth: the peer's ifindex (in {@link #linkNetnsId()}'s namespace when that is not -1). */
    public OptionalInt peerIndex() {
        return "veth".equals(kind) && linkIndex > 0 ? OptionalInt.of(linkIndex) : OptionalInt.empty();
    }
}
