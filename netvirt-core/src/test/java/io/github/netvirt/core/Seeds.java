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

    /** Two hosts on their own subnets, h1 (10.1.0.2) and h2 (10.2.0.2), and the router r between them. */
    static TopologyBuilder routed() {
        return Topology.create()
                .ns("h1")
                .veth("eth0", "r", "r-h1")
                .addr("10.1.0.2/24")
                .gateway("10.1.0.1")
                .ns("h2")
                .veth("eth0", "r", "r-h2")
                .addr("10.2.0.2/24")
                .gateway("10.2.0.1")
                .ns("r")
                .forwarding()
                .dev("r-h1")
                .addr("10.1.0.1/24")
                .dev("r-h2")
                .addr("10.2.0.1/24");
    }

    /**
     * A router between two hosts with every kind of device a script can make but a tap: veth (with
     * IPv6, MTU and MAC), macvlan, vxlan (with a route through it) and a bridge, left in {@code br0}
     * (down) of {@code r}.
     */
    static TopologyBuilder everyKind() {
        return Topology.create()
                .ns("h1")
                .veth("eth0", "r", "r-h1")
                .addr("10.1.0.2/24")
                .addr("fd01::2/64")
                .mtu(1400)
                .mac("02:00:00:00:01:02")
                .gateway("10.1.0.1")
                .ns("h2")
                .veth("eth0", "r", "r-h2")
                .addr("10.2.0.2/24")
                .gateway("10.2.0.1")
                .macvlan("mv0", "eth0")
                .addr("10.2.0.3/24")
                .vxlan("vx0", 42)
                .remote("10.2.0.1")
                .local("10.2.0.2")
                .lower("eth0")
                .route("10.7.0.0/16", null, "vx0")
                .ns("r")
                .forwarding()
                .dev("r-h1")
                .addr("10.1.0.1/24")
                .mtu(1400)
                .dev("r-h2")
                .addr("10.2.0.1/24")
                .bridge("br0")
                .down();
    }
}
