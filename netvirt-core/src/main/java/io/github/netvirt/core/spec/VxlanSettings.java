package io.github.netvirt.core.spec;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.VxlanSpec;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A vxlan's VNI, its remote peer or multicast group (or neither, for an FDB driven device), its
 * local address and its UDP destination port; its lower device is {@link DeviceSpec#lower()}.
 */
public record VxlanSettings(int vni, InetAddress remote, InetAddress group, InetAddress local, int dstPort)
        implements DeviceSettings {
    /** IANA's port; iproute2 asks for {@code dstport} explicitly because the kernel's default is 8472. */
    public static final int IANA_PORT = 4789;

    /** VNI {@code vni} on IANA's port, with no peer yet. */
    public static VxlanSettings of(int vni) {
        return new VxlanSettings(vni, null, null, null, IANA_PORT);
    }

    public VxlanSettings withRemote(InetAddress remote) {
        return new VxlanSettings(vni, remote, group, local, dstPort);
    }

    public VxlanSettings withGroup(InetAddress group) {
        return new VxlanSettings(vni, remote, group, local, dstPort);
    }

    public VxlanSettings withLocal(InetAddress local) {
        return new VxlanSettings(vni, remote, group, local, dstPort);
    }

    public VxlanSettings withDstPort(int dstPort) {
        return new VxlanSettings(vni, remote, group, local, dstPort);
    }

    @Override
    public List<String> problems(DeviceSpec device) {
        List<String> problems = new ArrayList<>();
        if (vni < 0 || vni >= 1 << 24) {
            problems.add("VNI " + vni + " out of range 0.." + ((1 << 24) - 1));
        }
        if (dstPort < 1 || dstPort > 65535) {
            problems.add("UDP port " + dstPort + " out of range 1..65535");
        }
        if (remote != null && group != null) {
            problems.add("both remote " + IpPrefix.format(remote) + " and group " + IpPrefix.format(group)
                    + ": a vxlan device has one or the other");
        }
        if (remote != null && remote.isMulticastAddress()) {
            problems.add("remote " + IpPrefix.format(remote) + " is multicast: use group(...)");
        }
        String notAPeer = remote == null ? null : notUnicast(remote, "remote");
        if (notAPeer != null) {
            problems.add("remote " + IpPrefix.format(remote) + notAPeer);
        }
        if (local != null && local.isMulticastAddress()) {
            problems.add("local " + IpPrefix.format(local) + " is multicast: a vxlan sends from a unicast address");
        }
        String notASource = local == null ? null : notUnicast(local, "local");
        if (notASource != null) {
            problems.add("local " + IpPrefix.format(local) + notASource);
        }
        if (group != null && !group.isMulticastAddress()) {
            problems.add("group " + IpPrefix.format(group) + " is not a multicast address");
        }
        if (group != null && device.lower() == null) {
            problems.add("a multicast group needs a lower device (lower(...))");
        }
        InetAddress peer = remote != null ? remote : group;
        if (peer != null && local != null && peer.getAddress().length != local.getAddress().length) {
            problems.add(
                    "local " + IpPrefix.format(local) + " and " + IpPrefix.format(peer) + " are of different families");
        } else if (linkLocalMix(peer)) {
            problems.add("local " + (local == null ? "(none)" : IpPrefix.format(local)) + " and "
                    + (remote != null ? "remote " : "group ") + IpPrefix.format(peer)
                    + ": a link-local address goes with link-local ones only");
        }
        if (local instanceof Inet6Address && local.isLinkLocalAddress() && device.lower() == null && group == null) {
            problems.add("a link-local local address needs a lower device (lower(...))");
        }
        return problems;
    }

    /**
     * Why {@code a}, a vxlan's {@code role} address ({@code remote} or {@code local}), is no unicast
     * address of a host (the text after the address), or null: the unspecified address (the kernel
     * takes it as none given), IPv4's limited broadcast, a loopback address (the kernel would send to
     * or from either; no peer answers).
     */
    private static String notUnicast(InetAddress a, String role) {
        if (a.isAnyLocalAddress()) {
            return " is the unspecified address: the kernel would make the vxlan without a " + role + " address"
                    + " (for that, give no " + role + "(...))";
        }
        if (a.isLoopbackAddress()) {
            return " is a loopback address: no peer on another host answers it";
        }
        byte[] b = a.getAddress();
        if (b.length == 4 && (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff) {
            return " is the limited broadcast address, not a unicast one";
        }
        return null;
    }

    /**
     * Whether the kernel refuses the scopes of {@code peer} and the local address: an IPv6 link-local
     * local address takes only link-local peers (an {@code ff02::} group too), a link-local remote
     * only a link-local local address.
     */
    private boolean linkLocalMix(InetAddress peer) {
        if (local instanceof Inet6Address && local.isLinkLocalAddress()) {
            return peer != null && !(peer.isLinkLocalAddress() || peer.isMCLinkLocal());
        }
        return peer instanceof Inet6Address && peer.isLinkLocalAddress();
    }

    @Override
    public String iproute2(DeviceSpec device) {
        StringBuilder ip = new StringBuilder(" type vxlan id ").append(vni);
        if (remote != null) {
            ip.append(" remote ").append(IpPrefix.format(remote));
        }
        if (group != null) {
            ip.append(" group ").append(IpPrefix.format(group));
        }
        if (local != null) {
            ip.append(" local ").append(IpPrefix.format(local));
        }
        if (device.lower() != null) {
            ip.append(" dev ").append(TopologySpec.shellWord(device.lower()));
        }
        return ip.append(" dstport ").append(dstPort).toString();
    }

    @Override
    public LinkSpec<?> request(DeviceSpec device, Integer lower) {
        VxlanSpec v = LinkSpec.vxlan(device.name(), vni).port(dstPort);
        if (remote != null) {
            v.remote(remote);
        }
        if (group != null) {
            v.group(group);
        }
        if (local != null) {
            v.local(local);
        }
        if (lower != null) {
            v.device(lower);
        } else if (device.lower() != null) {
            v.device(device.lower());
        }
        return v;
    }

    /** The VNI, and the remote peer where there is one. */
    @Override
    public String summary() {
        return " " + vni + (remote != null ? " to " + IpPrefix.format(remote) : "");
    }
}
