package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSettings;
import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.NamespaceSpec;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.MacAddress;
import io.github.netvirt.netlink.VethSpec;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.TapDevice;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Creates a device (a veth: both of its ends) with its MTU, MAC address, ifindex and device group
 * in the creating request, and, when {@code joins} and {@code up} say so, its bridge and IFF_UP
 * ({@code device}'s end only): {@code ip link add}, and the netlink request that does the same. The
 * kind-specific part of both comes from one place: the device's {@link DeviceSpec#settings()}, its
 * kind's name when it has none, or (a veth) its peer. A tap is opened through {@code /dev/net/tun}
 * instead, with its planned ifindex (TUNSETIFINDEX): it goes with its fd, however the JVM ends. The
 * script's {@code ip tuntap add} cannot ask for an index, nor does the script for other devices.
 */
record LinkAddStep(TopologySpec spec, DeviceSpec device, boolean joins, boolean up) implements DeviceStep {

    @Override
    public List<String> commands() {
        String ip = Iproute2.ip(spec, device.ns());
        if (device.kind() == Kind.TAP) {
            // iproute2 can only make a persistent tap; netvirt's is held open by the live topology
            String add = ip + "tuntap add dev " + TopologySpec.shellWord(device.name()) + " mode tap";
            return device.quiet()
                    ? List.of(
                            add,
                            Iproute2.sysctl(
                                    spec, device.ns(), "1", List.of("ipv6/conf/" + device.name() + "/disable_ipv6")))
                    : List.of(add);
        }
        StringBuilder type = new StringBuilder();
        request(null, type);
        return List.of(ip + "link add name " + TopologySpec.shellWord(device.name()) + Iproute2.settings(device)
                + Iproute2.queues(device) + (joins ? " master " + TopologySpec.shellWord(device.master()) : "")
                + (up ? " up" : "") + type);
    }

    @Override
    public boolean batched() {
        return device.kind() != Kind.TAP;
    }

    @Override
    public void carryOut(Kernel k) {
        if (device.kind() == Kind.TAP) {
            openTap(k);
            return;
        }
        LinkSpec<?> l = request(k, null);
        attributes(k, device, l::index, l::mtu, l::mac, l::group);
        if (device.queues() > 0) {
            l.numTxQueues(device.queues()).numRxQueues(device.queues());
        }
        if (joins) {
            // the kernel enslaves it after bringing it up, in its own namespace (the handle's)
            Integer m = k.index(new DeviceKey(device.ns(), device.master()));
            if (m != null) {
                l.master(m);
            } else {
                l.master(device.master());
            }
        }
        if (up) {
            l.up();
        }
        List<DeviceKey> outside = numberedByKernel();
        if (outside.isEmpty()) {
            k.batch().linkAdd(l);
        } else {
            // the request's echo tells the indexes the kernel chose: by the time an ack is read, others
            // may have renamed the device and given its name to one of theirs
            k.batch().linkAdd(l, made -> {
                for (DeviceKey d : outside) {
                    if (d.equals(DeviceKey.of(device))) {
                        k.indexed(d, made.index());
                    } else if (made.peerIndex().isPresent()) {
                        k.indexed(d, made.peerIndex().getAsInt());
                    }
                }
            });
        }
    }

    /**
     * The devices this request makes (not a tap's) in the root or an adopted namespace, whose ifindexes
     * the kernel chooses and the request's echo tells: {@code device}, and a veth's other end (a vxlan
     * made down is not echoed: the apply proves the device of its name its own instead).
     */
    List<DeviceKey> numberedByKernel() {
        if (device.kind() == Kind.TAP) {
            return List.of();
        }
        boolean self = outside(device.ns());
        if (!device.isVeth()) {
            return self ? List.of(DeviceKey.of(device)) : List.of();
        }
        DeviceKey peer = new DeviceKey(device.peerNs(), device.peerName());
        boolean other = outside(device.peerNs());
        if (self && other) {
            return List.of(DeviceKey.of(device), peer);
        }
        return self ? List.of(DeviceKey.of(device)) : other ? List.of(peer) : List.of();
    }

    /**
     * Whether the steps after this one in its namespace's batch are carried out only once its answer is
     * in: when it makes {@code device} where the kernel chooses its index, which they use.
     */
    @Override
    public boolean endsBatch() {
        return device.kind() != Kind.TAP && outside(device.ns());
    }

    private boolean outside(String ns) {
        NamespaceSpec n = spec.namespace(ns);
        return n.root() || n.adopted();
    }

    /**
     * The kind-specific part of the device: appends its iproute2 words (from {@code type} on) to
     * {@code ip} when given (the script), or returns its netlink request for {@code k} (the apply).
     * A kind with settings of its own gives either from them ({@link DeviceSettings}); one without is
     * made by its kind's name alone.
     */
    private LinkSpec<?> request(Kernel k, StringBuilder ip) {
        if (device.kind() == Kind.VETH) {
            return veth(k, ip);
        }
        DeviceSettings settings = device.settings();
        if (ip != null) {
            ip.append(
                    settings != null
                            ? settings.iproute2(device)
                            : " type " + device.kind().iproute2());
            return null;
        }
        if (settings == null) {
            return LinkSpec.generic(device.name(), device.kind().iproute2());
        }
        // a lower device of the topology's goes by its index: in the root or an adopted namespace,
        // another device may have its name by now
        return settings.request(
                device, device.lower() != null ? k.index(new DeviceKey(device.ns(), device.lower())) : null);
    }

    private void openTap(Kernel k) {
        NetNamespace ns = k.res().hosts.get(device.ns());
        // createOnly: TUNSETIFF would otherwise attach to a persistent tap of that name that is not ours
        TapDevice.Builder b = TapDevice.tap(device.name()).createOnly(true);
        Integer i = k.index(DeviceKey.of(device));
        if (i != null) {
            b.ifindex(i);
        }
        TapDevice tap = b.open(ns);
        k.res().taps.put(DeviceKey.of(device), tap);
        // TUNSETIFF succeeded at the index asked for; elsewhere (root, adopted) the kernel chose it, and
        // others may have renamed the tap and taken its name by now: its fd tells its index and name
        Link own = i == null ? tap.link() : null;
        if (device.quiet()) {
            // before the device goes up: its first IPv6 frames leave the moment it is up
            tap.setIpv6Disabled(true);
        }
        k.indexed(DeviceKey.of(device), own != null ? own.index() : i);
    }

    private LinkSpec<?> veth(Kernel k, StringBuilder ip) {
        DeviceSpec peer = spec.device(device.peerNs(), device.peerName());
        if (ip != null) {
            ip.append(" type veth peer name ")
                    .append(TopologySpec.shellWord(peer.name()))
                    .append(Iproute2.settings(peer))
                    .append(Iproute2.queues(peer));
            if (!peer.ns().equals(device.ns())) {
                // the root is the script's own namespace, its shell's ($$): pid 1's is another's in a
                // sandbox with a network namespace of its own and the host's pids (bin/netvirt-run)
                ip.append(" netns ")
                        .append(
                                TopologySpec.ROOT.equals(peer.ns())
                                        ? "$$"
                                        : TopologySpec.shellWord(Iproute2.netnsArg(spec, peer.ns())));
            }
            return null;
        }
        VethSpec v = LinkSpec.veth(device.name(), peer.name());
        // the creating socket's namespace is this end's: place both ends explicitly all the same
        v.netns(k.res().hosts.get(device.ns()));
        v.peerNetns(k.res().hosts.get(peer.ns()));
        attributes(k, peer, v::peerIndex, v::peerMtu, v::peerMac, v::peerGroup);
        if (peer.queues() > 0) {
            v.peerNumTxQueues(peer.queues()).peerNumRxQueues(peer.queues());
        }
        return v;
    }

    /**
     * Gives the request {@code d}'s planned ifindex, MTU, MAC address and device group, those it has,
     * through the setters of {@code d}'s end (a veth's peer has setters of its own).
     */
    private static void attributes(
            Kernel k, DeviceSpec d, IntConsumer index, IntConsumer mtu, Consumer<MacAddress> mac, IntConsumer group) {
        Integer i = k.index(DeviceKey.of(d));
        if (i != null) {
            index.accept(i);
        }
        if (d.mtu() > 0) {
            mtu.accept(d.mtu());
        }
        if (d.mac() != null) {
            mac.accept(d.mac());
        }
        if (k.group(d.ns()) != 0) {
            group.accept(k.group(d.ns()));
        }
    }

    @Override
    public String subject() {
        StringBuilder s =
                new StringBuilder(device.kind().iproute2()).append(' ').append(device.qualifiedName());
        if (device.isVeth()) {
            s.append(" peer ").append(device.qualifiedPeerName());
        }
        if (device.lower() != null) {
            s.append(" on ").append(device.lower());
        }
        if (joins) {
            s.append(" master ").append(device.master());
        }
        if (up) {
            s.append(" up");
        }
        return s.toString();
    }
}
