package io.github.netvirt.core.spec;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.MacAddress;
import java.util.List;

/**
 * One device of a topology, in the namespace {@link #ns()} (a logical name).
 *
 * <p>A veth pair is two {@code DeviceSpec}s that name each other; the one with {@link #creator()}
 * set is the one whose creation makes the pair. {@code mtu} 0, a null {@code mac} and {@code queues}
 * 0 keep the kernel's defaults ({@code queues}: the number of transmit and of receive queues). {@code lower} is a macvlan's or vxlan's lower device (in the same namespace).
 * {@code settings} are those of its kind alone ({@link MacvlanSettings}, {@link VxlanSettings}; null
 * for a kind that has none). {@code quiet} is a tap with IPv6 off
 * ({@link io.github.netvirt.core.TopologyBuilder#quiet()}). {@code condition} is the rate, delay and
 * loss of a veth pair declared on this end (null: none).
 */
public record DeviceSpec(
        String ns,
        String name,
        Kind kind,
        int mtu,
        MacAddress mac,
        int queues,
        boolean up,
        String master,
        List<IpPrefix> addresses,
        String peerNs,
        String peerName,
        boolean creator,
        String lower,
        DeviceSettings settings,
        boolean quiet,
        LinkCondition condition) {

    public DeviceSpec {
        addresses = List.copyOf(addresses);
    }

    public boolean isVeth() {
        return kind == Kind.VETH;
    }

    /** {@code ns/name}, as messages and diagrams print a device. */
    public String qualifiedName() {
        return TopologySpec.label(ns) + "/" + name;
    }

    /** A veth's other end as {@link #qualifiedName()} prints it: {@code peerNs/peerName}. */
    public String qualifiedPeerName() {
        return TopologySpec.label(peerNs) + "/" + peerName;
    }
}
