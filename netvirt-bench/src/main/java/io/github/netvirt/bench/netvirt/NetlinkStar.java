package io.github.netvirt.bench.netvirt;

import io.github.netvirt.bench.Phases;
import io.github.netvirt.bench.Topo;
import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkBatch;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;

/**
 * The star through netvirt-netns and netvirt-netlink directly (no Topology DSL): named namespaces,
 * one handle per namespace, the bridge's N veths in one pipelined batch (peers created in their
 * namespaces), then per host one batch with the address and link up.
 */
final class NetlinkStar implements Topo {
    private final String prefix;
    private final int n;
    private final MadeNamespaces made = new MadeNamespaces();
    private final Phases phases = new Phases();

    NetlinkStar(String prefix, int n) {
        this.prefix = prefix;
        this.n = n;
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
        NetNamespace br = create(prefix + "br");
        NetNamespace[] hosts = new NetNamespace[n + 1];
        for (int i = 1; i <= n; i++) {
            hosts[i] = create(prefix + "h" + i);
        }
        phases.mark("NetNamespace.create");
        NetlinkHandle h = NetlinkHandle.open(br);
        phases.mark("NetlinkHandle.open");
        try {
            h.linkAdd(LinkSpec.bridge("pbbr").up());
            phases.mark("bridge");
            NetlinkBatch b = h.batch();
            for (int i = 1; i <= n; i++) {
                b.linkAdd(LinkSpec.veth("pbh" + i, "pbeth").master("pbbr").up().peerNetns(hosts[i]));
            }
            b.execute();
            phases.mark("veths");
        } finally {
            h.close();
            phases.mark("NetlinkHandle.close");
        }
        for (int i = 1; i <= n; i++) {
            NetlinkHandle hh = NetlinkHandle.open(hosts[i]);
            phases.mark("NetlinkHandle.open");
            try {
                hh.batch().addrAdd("pbeth", IpPrefix.parse("10.213." + i / 256 + "." + i % 256 + "/16"))
                        .linkSetUp("pbeth").execute();
                phases.mark("addresses+up");
            } finally {
                hh.close();
                phases.mark("NetlinkHandle.close");
            }
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
