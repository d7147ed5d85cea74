/**
 * An rtnetlink client: {@code ip link}, {@code ip addr}, {@code ip route}, {@code ip neigh},
 * {@code bridge fdb}, {@code tc qdisc} and {@code tc filter} from Java, without running {@code ip} or {@code tc}.
 *
 * <p>{@link io.github.netvirt.netlink.NetlinkHandle} is bound to one
 * {@link io.github.netvirt.netns.NetNamespace} (its socket is created inside it) and offers the verbs;
 * {@link io.github.netvirt.netlink.NetlinkBatch} pipelines many requests on it and reports, on
 * failure, which were applied ({@link io.github.netvirt.netlink.BatchException}). New objects are
 * described by specs ({@link io.github.netvirt.netlink.LinkSpec} and its kinds,
 * {@link io.github.netvirt.netlink.AddressSpec}, {@link io.github.netvirt.netlink.RouteSpec},
 * {@link io.github.netvirt.netlink.NeighborSpec}, {@link io.github.netvirt.netlink.QdiscSpec} and its
 * kinds, {@link io.github.netvirt.netlink.FilterSpec}); what the kernel reports comes back as immutable
 * values ({@link io.github.netvirt.netlink.Link}, {@link io.github.netvirt.netlink.Address},
 * {@link io.github.netvirt.netlink.Route}, {@link io.github.netvirt.netlink.Neighbor},
 * {@link io.github.netvirt.netlink.Qdisc}, {@link io.github.netvirt.netlink.Filter}). Changes are
 * observed with {@link io.github.netvirt.netlink.EventSubscription}; per-namespace sysctls with
 * {@link io.github.netvirt.netlink.Sysctls}. Every kernel error is a
 * {@link io.github.netvirt.netlink.NetlinkException} carrying errno, request and extended-ack text.
 *
 * <p>Kernel behaviour this package works around, measured on Linux 6.18:
 * <ul>
 * <li>a veth peer cannot be created up (IFF_UP in {@code VETH_INFO_PEER} gives ENOTCONN): {@code peerUp()}
 *     is a second request;</li>
 * <li>the peer of a veth goes to the socket's namespace unless {@code VETH_INFO_PEER} carries its own
 *     {@code IFLA_NET_NS_FD};</li>
 * <li>{@code IFLA_TARGET_NETNSID} is accepted but ignored by RTM_SETLINK, so changing a link in another
 *     namespace needs a socket there;</li>
 * <li>the kernel processes every request of a datagram even after one fails.</li>
 * </ul>
 *
 * <p>The wire format is in {@link io.github.netvirt.netlink.codec}, pure Java and usable on its own.
 */
package io.github.netvirt.netlink;
