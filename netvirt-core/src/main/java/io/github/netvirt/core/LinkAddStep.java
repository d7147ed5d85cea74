package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.core.spec.VxlanSpec;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.VethSpec;
import java.util.List;
import java.util.Set;

/**
 * Creates a device (a veth: both of its ends) with its MTU, MAC address, ifindex and device group
 * in the creating request: {@code ip link add}, and the netlink request that does the same. One
 * method per kind of device gives both of its kind-specific parts.
 */
record LinkAddStep(int index, Set<Integer> needs, TopologySpec spec, DeviceSpec device) implements Step, KernelStep {

    LinkAddStep {
        needs = Set.copyOf(needs);
    }

    @Override
    public Action action() {
        return Action.LINK_ADD;
    }

    @Override
    public String ns() {
        return device.ns();
    }

    @Override
    public List<String> commands() {
        StringBuilder type = new StringBuilder();
        request(null, type);
        return List.of(Iproute2.ip(spec, device.ns()) + "link add name " + device.name() + Iproute2.settings(device) + type);
    }

    @Override
    public void carryOut(Kernel k) {
        LinkSpec<?> l = request(k, new StringBuilder());
        Integer i = k.index(DeviceKey.of(device));
        if (i != null) {
            l.index(i);
        }
        if (device.mtu() > 0) {
            l.mtu(device.mtu());
        }
        if (device.mac() != null) {
            l.mac(device.mac());
        }
        if (k.group(device.ns()) != 0) {
            l.group(k.group(device.ns()));
        }
        k.batch().linkAdd(l);
    }

    /**
     * The kind-specific part of the device: appends its iproute2 words (from {@code type} on) to
     * {@code ip}, and returns its netlink request when {@code k} is given (null otherwise).
     */
    private LinkSpec<?> request(Kernel k, StringBuilder ip) {
        switch (device.kind()) {
            case BRIDGE:
                ip.append(" type bridge");
                return k == null ? null : LinkSpec.bridge(device.name());
            case VETH:
                return veth(k, ip);
            case MACVLAN:
                ip.append(" link ").append(device.lower()).append(" type macvlan mode ").append(device.macvlanMode().iproute2());
                return k == null ? null : LinkSpec.macvlan(device.name(), device.lower()).mode(device.macvlanMode());
            case VXLAN:
                return vxlan(k, ip);
            default:
                throw new IllegalStateException("not a netlink device: " + device.kind());
        }
    }

    private LinkSpec<?> veth(Kernel k, StringBuilder ip) {
        DeviceSpec peer = spec.device(device.peerNs(), device.peerName());
        ip.append(" type veth peer name ").append(peer.name()).append(Iproute2.settings(peer));
        if (!peer.ns().equals(device.ns())) {
            ip.append(" netns ").append(TopologySpec.ROOT.equals(peer.ns()) ? "1" : Iproute2.quote(Iproute2.netnsArg(spec, peer.ns())));
        }
        if (k == null) {
            return null;
        }
        VethSpec v = LinkSpec.veth(device.name(), peer.name());
        // the creating socket's namespace is this end's: place both ends explicitly all the same
        v.netns(k.res().hosts.get(device.ns()));
        v.peerNetns(k.res().hosts.get(peer.ns()));
        Integer pi = k.index(DeviceKey.of(peer));
        if (pi != null) {
            v.peerIndex(pi);
        }
        if (peer.mtu() > 0) {
            v.peerMtu(peer.mtu());
        }
        if (peer.mac() != null) {
            v.peerMac(peer.mac());
        }
        if (k.group(peer.ns()) != 0) {
            v.peerGroup(k.group(peer.ns()));
        }
        return v;
    }

    private LinkSpec<?> vxlan(Kernel k, StringBuilder ip) {
        VxlanSpec x = device.vxlan();
        io.github.netvirt.netlink.VxlanSpec v = k == null ? null : LinkSpec.vxlan(device.name(), x.vni()).port(x.dstPort());
        ip.append(" type vxlan id ").append(x.vni());
        if (x.remote() != null) {
            ip.append(" remote ").append(IpPrefix.format(x.remote()));
            if (v != null) {
                v.remote(x.remote());
            }
        }
        if (x.group() != null) {
            ip.append(" group ").append(IpPrefix.format(x.group()));
            if (v != null) {
                v.group(x.group());
            }
        }
        if (x.local() != null) {
            ip.append(" local ").append(IpPrefix.format(x.local()));
            if (v != null) {
                v.local(x.local());
            }
        }
        if (x.lower() != null) {
            ip.append(" dev ").append(x.lower());
            if (v != null) {
                v.device(x.lower());
            }
        }
        ip.append(" dstport ").append(x.dstPort());
        return v;
    }

    @Override
    public Step at(int i, Set<Integer> n) {
        return new LinkAddStep(i, n, spec, device);
    }

    @Override
    public String describe() {
        StringBuilder s = new StringBuilder(KernelStep.head(this)).append(device.kind().iproute2()).append(' ')
                .append(device.qualifiedName());
        if (device.isVeth()) {
            s.append(" peer ").append(TopologySpec.label(device.peerNs())).append('/').append(device.peerName());
        }
        if (device.lower() != null) {
            s.append(" on ").append(device.lower());
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
