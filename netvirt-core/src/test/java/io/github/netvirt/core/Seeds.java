package io.github.netvirt.core;

/** The seed recipe as a topology, the way a user writes it. */
final class Seeds {
    private Seeds() {}

    static TopologyBuilder seed() {
        return Topology.create()
                .ns("net0")
                .veth("net0-bridge", "bridge", "bridge-net0")
                .addr("10.0.1.1/24")
                .ns("net1")
                .veth("net1-bridge", "bridge", "bridge-net1")
                .addr("10.0.1.2/24")
                .ns("bridge")
                .bridge("br")
                .ports("bridge-net0", "bridge-net1");
    }
}
