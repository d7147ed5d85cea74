package io.github.netvirt.bench.netvirt;

import io.github.netvirt.bench.Phases;
import io.github.netvirt.bench.Topo;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkBatch;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import java.util.ArrayList;
import java.util.List;

/**
 * A bridge in its own namespace and hosts joined to it by veths, through netvirt-netns and
 * netvirt-netlink directly (no Topology DSL): named namespaces made in one {@code
 * NetNamespace.create(List)} (on two switching threads), one handle per namespace, the
 * bridge's veths in one pipelined batch (peers created in their namespaces), then per host one batch
 * with the address and link up. The seed is this with two hosts.
 */
final class NetlinkStar implements Topo {
    /** A host: its namespace (without the prefix), the veth's end at the bridge and in the host, its address. */
    private record Host(String ns, String bridgeEnd, String hostEnd, String address) {}

    private final String prefix;
    private final String bridgeNs;
    private final String bridge;
    private final List<Host> hosts;
    private final MadeNamespaces made = new MadeNamespaces();
    private final Phases phases = new Phases();

    private NetlinkStar(String prefix, String bridgeNs, String bridge, List<Host> hosts) {
        this.prefix = prefix;
        this.bridgeNs = bridgeNs;
        this.bridge = bridge;
        this.hosts = hosts;
    }

    /** The seed recipe: net0 and net1 joined through bridge br in namespace bridge. */
    static NetlinkStar seed(String prefix) {
        return new NetlinkStar(
                prefix,
                "bridge",
                "br",
                List.of(
                        new Host("net0", "bridge-net0", "net0-bridge", "10.0.1.1/24"),
                        new Host("net1", "bridge-net1", "net1-bridge", "10.0.1.2/24")));
    }

    /** h1..hN on bridge pbbr in namespace br, each with pbeth at 10.213.x.y/16. */
    static NetlinkStar star(String prefix, int n) {
        List<Host> hosts = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            hosts.add(new Host("h" + i, "pbh" + i, "pbeth", "10.213." + i / 256 + "." + i % 256 + "/16"));
        }
        return new NetlinkStar(prefix, "br", "pbbr", hosts);
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
        List<String> names = new ArrayList<>(hosts.size() + 1);
        names.add(prefix + bridgeNs);
        for (Host host : hosts) {
            names.add(prefix + host.ns());
        }
        List<NetNamespace> all = made.create(names);
        NetNamespace br = all.get(0);
        List<NetNamespace> namespaces = all.subList(1, all.size());
        phases.mark("NetNamespace.create");
        NetlinkHandle h = NetlinkHandle.open(br);
        phases.mark("NetlinkHandle.open");
        try {
            h.linkAdd(LinkSpec.bridge(bridge).up());
            phases.mark("bridge");
            NetlinkBatch b = h.batch();
            for (int i = 0; i < hosts.size(); i++) {
                Host host = hosts.get(i);
                b.linkAdd(LinkSpec.veth(host.bridgeEnd(), host.hostEnd())
                        .master(bridge)
                        .up()
                        .peerNetns(namespaces.get(i)));
            }
            b.execute();
            phases.mark("veths");
        } finally {
            h.close();
            phases.mark("NetlinkHandle.close");
        }
        for (int i = 0; i < hosts.size(); i++) {
            Host host = hosts.get(i);
            NetlinkHandle hh = NetlinkHandle.open(namespaces.get(i));
            phases.mark("NetlinkHandle.open");
            try {
                hh.batch()
                        .addrAdd(host.hostEnd(), IpPrefix.parse(host.address()))
                        .linkSetUp(host.hostEnd())
                        .execute();
                phases.mark("addresses+up");
            } finally {
                hh.close();
                phases.mark("NetlinkHandle.close");
            }
        }
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
