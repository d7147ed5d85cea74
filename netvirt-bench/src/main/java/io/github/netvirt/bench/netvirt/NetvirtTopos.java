package io.github.netvirt.bench.netvirt;

import io.github.netvirt.bench.Topo;
import io.github.netvirt.core.TopologyBuilder;
import io.github.netvirt.examples.Seed;

/**
 * netvirt's side of the seed and star workloads: {@code netvirt} is the Topology DSL of
 * netvirt-core ({@code apply()} / {@code close()}); {@code netvirt-netlink} is the same network
 * through netvirt-netns and netvirt-netlink directly, which shows what the DSL adds.
 */
public final class NetvirtTopos {
    private NetvirtTopos() {}

    public static Topo seed(String prefix) {
        return CoreTopo.seed(prefix);
    }

    /** The seed as {@link #seed} describes it, not yet applied (for the cold workload's fresh JVM). */
    public static TopologyBuilder seedDescription(String prefix) {
        return Seed.topology(prefix);
    }

    public static Topo star(String prefix, int n) {
        return CoreTopo.star(prefix, n);
    }

    public static Topo seedNetlink(String prefix) {
        return NetlinkStar.seed(prefix);
    }

    public static Topo starNetlink(String prefix, int n) {
        return NetlinkStar.star(prefix, n);
    }
}
