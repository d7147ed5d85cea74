package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netlink.codec.NlWriter;
import io.github.netvirt.netns.internal.Require;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A vxlan device: VNI, a unicast remote or a multicast group, local address, UDP port, underlying
 * device and learning. Without {@link #port} the kernel uses 8472 (Linux's historic default); IANA's
 * 4789 must be asked for.
 */
public final class VxlanSpec extends LinkSpec<VxlanSpec> {
    private final int vni;
    private InetAddress remote;
    private InetAddress local;
    private int port = -1;
    private LinkRef device;
    private Boolean learning;
    private int ttl = -1;

    VxlanSpec(String name, int vni) {
        super(name, "vxlan");
        this.vni = Require.inRange(vni, 0, 0xffffff, "VNI");
    }

    /** A unicast remote endpoint. */
    public VxlanSpec remote(InetAddress remote) {
        if (remote.isMulticastAddress()) {
            throw new IllegalArgumentException("remote must be unicast (use group()): " + IpPrefix.format(remote));
        }
        this.remote = remote;
        return this;
    }

    /** A multicast group (needs {@link #device}). */
    public VxlanSpec group(InetAddress group) {
        if (!group.isMulticastAddress()) {
            throw new IllegalArgumentException("group must be multicast: " + IpPrefix.format(group));
        }
        this.remote = group;
        return this;
    }

    public VxlanSpec local(InetAddress local) {
        this.local = local;
        return this;
    }

    /** Destination UDP port. */
    public VxlanSpec port(int port) {
        this.port = Require.inRange(port, 1, 65535, "UDP port");
        return this;
    }

    /** The underlying device. */
    public VxlanSpec device(String dev) {
        this.device = LinkRef.of(dev);
        return this;
    }

    /** As {@link #device(String)}, by the link's ifindex. */
    public VxlanSpec device(int index) {
        this.device = LinkRef.of(index);
        return this;
    }

    public VxlanSpec learning(boolean on) {
        this.learning = on;
        return this;
    }

    public VxlanSpec ttl(int ttl) {
        this.ttl = Require.inRange(ttl, 0, 255, "TTL");
        return this;
    }

    LinkRef deviceRef() {
        return device;
    }

    @Override
    public String describe() {
        return "vxlan " + name + " id " + vni;
    }

    @Override
    void writeInfoData(NlWriter w, Resolver r) {
        if (remote != null && local != null && (remote instanceof Inet4Address) != (local instanceof Inet4Address)) {
            throw new IllegalArgumentException("vxlan " + name + ": remote and local must be the same IP family");
        }
        if (remote != null && remote.isMulticastAddress() && device == null) {
            throw new IllegalArgumentException("vxlan " + name + ": a multicast group needs a device");
        }
        // iproute2's order (vxlan_parse_opt): LINK, TTL, ID, LOCAL, GROUP, LEARNING, PORT
        if (device != null) {
            w.u32(Nl.IFLA_VXLAN_LINK, r.index(device));
        }
        if (ttl >= 0) {
            w.u8(Nl.IFLA_VXLAN_TTL, ttl);
        }
        w.u32(Nl.IFLA_VXLAN_ID, vni);
        if (local != null) {
            w.address(local instanceof Inet4Address ? Nl.IFLA_VXLAN_LOCAL : Nl.IFLA_VXLAN_LOCAL6, local);
        }
        if (remote != null) {
            w.address(remote instanceof Inet4Address ? Nl.IFLA_VXLAN_GROUP : Nl.IFLA_VXLAN_GROUP6, remote);
        }
        if (learning != null) {
            w.u8(Nl.IFLA_VXLAN_LEARNING, learning ? 1 : 0);
        }
        if (port > 0) {
            w.be16(Nl.IFLA_VXLAN_PORT, port);
        }
    }
}
