package io.github.netvirt.bench.netvirt;

import io.github.netvirt.bench.Topo;

/** netvirt's side of the seed and star workloads. */
public final class NetvirtTopos {
    private NetvirtTopos() {
    }

    /** The seed through netvirt, or null while no netvirt module can build it. */
    public static Topo seed(String prefix) {
        return null;
    }

    public static Topo star(String prefix, int n) {
        return null;
    }
}
