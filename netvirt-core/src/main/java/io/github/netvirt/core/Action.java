package io.github.netvirt.core;

/** What one {@link Step} does; each maps to one kernel request (or, for namespaces, one syscall sequence). */
public enum Action {
    /** {@code ip netns add}, and {@code lo} up. */
    NS_ADD,
    /**
     * {@code ip link add} (a veth creates both of its ends), with {@code master BRIDGE} and {@code up}
     * for the device it names where the plan allows; a TAP is opened through {@code /dev/net/tun}.
     */
    LINK_ADD,
    /** {@code ip link set dev X mtu N address M}. */
    LINK_SET,
    /** {@code ip link set dev X master BRIDGE}, for a device that cannot join in its creation (a TAP, say). */
    LINK_MASTER,
    /** {@code ip link set dev X up}, for a device not created up (a TAP, a veth's other end). */
    LINK_UP,
    /** {@code ip address add}. */
    ADDR_ADD,
    /** {@code ip route add}. */
    ROUTE_ADD,
    /** {@code sysctl net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1} inside the namespace. */
    FORWARDING,
    /** {@code ip address del}, only in a change of a live topology. */
    ADDR_DEL,
    /** {@code ip link del dev X} (a veth: both ends), only in a change of a live topology. */
    LINK_DEL,
    /** {@code ip netns del}, only in a change of a live topology. */
    NS_DEL
}
