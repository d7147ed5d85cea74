package io.github.netvirt.bench.netvirt;

import io.github.netvirt.bench.Topo;

/**
 * netvirt's side of the seed and star workloads. Until netvirt-core's {@code apply()} works
 * against the kernel, these go through netvirt-netlink directly and say so in their system name
 * ({@code netvirt-netlink}).
 */
public final class NetvirtTopos {
    private NetvirtTopos() {
    }

    public static Topo seed(String prefix) {
        return new NetlinkSeed(prefix);
    }

    public static Topo star(String prefix, int n) {
        return new NetlinkStar(prefix, n);
    }
}
