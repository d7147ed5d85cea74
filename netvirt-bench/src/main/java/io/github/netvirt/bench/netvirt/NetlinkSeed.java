package io.github.netvirt.bench.netvirt;

import io.github.netvirt.bench.Topo;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;

/** The seed through netvirt-netns and netvirt-netlink directly (no Topology DSL). */
final class NetlinkSeed implements Topo {
    private final String prefix;
    private final List<NetNamespace> made = new ArrayList<>();

    NetlinkSeed(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public String system() {
        return "netvirt-netlink";
    }

    @Override
    public void up() {
        NetNamespace net0 = create(prefix + "net0");
        NetNamespace net1 = create(prefix + "net1");
        NetNamespace bridge = create(prefix + "bridge");
        try (NetlinkHandle h = NetlinkHandle.open(bridge)) {
            h.linkAdd(LinkSpec.bridge("br").up());
            h.batch()
                    .linkAdd(LinkSpec.veth("bridge-net0", "net0-bridge").master("br").up().peerNetns(net0))
                    .linkAdd(LinkSpec.veth("bridge-net1", "net1-bridge").master("br").up().peerNetns(net1))
                    .execute();
        }
        end(net0, "net0-bridge", "10.0.1.1/24");
        end(net1, "net1-bridge", "10.0.1.2/24");
    }

    private static void end(NetNamespace ns, String link, String addr) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            h.batch().linkSetUp(link).addrAdd(link, IpPrefix.parse(addr)).execute();
        }
    }

    private NetNamespace create(String name) {
        NetNamespace ns = NetNamespace.create(name);
        synchronized (made) {
            made.add(ns);
        }
        return ns;
    }

    @Override
    public void down() {
        synchronized (made) {
            for (NetNamespace ns : made) {
                ns.delete();
            }
            made.clear();
        }
    }

    @Override
    public void cleanup() {
        synchronized (made) {
            for (NetNamespace ns : made) {
                try {
                    ns.delete();
                } catch (RuntimeException e) {
                    System.err.println("# cleanup " + ns + ": " + e);
                }
            }
            made.clear();
        }
    }
}
