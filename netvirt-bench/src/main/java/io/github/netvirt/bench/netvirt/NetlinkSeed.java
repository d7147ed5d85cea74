package io.github.netvirt.bench.netvirt;

import io.github.netvirt.bench.Phases;
import io.github.netvirt.bench.Topo;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;

/** The seed through netvirt-netns and netvirt-netlink directly (no Topology DSL). */
final class NetlinkSeed implements Topo {
    private final String prefix;
    private final MadeNamespaces made = new MadeNamespaces();
    private final Phases phases = new Phases();

    NetlinkSeed(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String system() {
        return "netvirt-netlink";
    }

    @Override
    public Phases phases() {
        return phases;
    }

    @Override
    public void up() {
        NetNamespace net0 = create(prefix + "net0");
        NetNamespace net1 = create(prefix + "net1");
        NetNamespace bridge = create(prefix + "bridge");
        phases.mark("NetNamespace.create");
        NetlinkHandle h = NetlinkHandle.open(bridge);
        phases.mark("NetlinkHandle.open");
        try {
            h.linkAdd(LinkSpec.bridge("br").up());
            phases.mark("bridge");
            h.batch()
                    .linkAdd(LinkSpec.veth("bridge-net0", "net0-bridge").master("br").up().peerNetns(net0))
                    .linkAdd(LinkSpec.veth("bridge-net1", "net1-bridge").master("br").up().peerNetns(net1))
                    .execute();
            phases.mark("veths");
        } finally {
            h.close();
            phases.mark("NetlinkHandle.close");
        }
        end(net0, "net0-bridge", "10.0.1.1/24");
        end(net1, "net1-bridge", "10.0.1.2/24");
    }

    private void end(NetNamespace ns, String link, String addr) {
        NetlinkHandle h = NetlinkHandle.open(ns);
        phases.mark("NetlinkHandle.open");
        try {
            h.batch().linkSetUp(link).addrAdd(link, IpPrefix.parse(addr)).execute();
            phases.mark("addresses+up");
        } finally {
            h.close();
            phases.mark("NetlinkHandle.close");
        }
    }

    private NetNamespace create(String name) {
        return made.create(name);
    }

    @Override
    public void down() {
        made.deleteAll();
    }

    @Override
    public void cleanup() {
        made.deleteAllQuietly();
    }
}
