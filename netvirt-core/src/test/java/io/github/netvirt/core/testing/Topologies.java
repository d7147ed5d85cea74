package io.github.netvirt.core.testing;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;

/**
 * Topologies that the tests of several modules share, written the way a user writes them (in
 * netvirt-core's test-jar, for netvirt-faults and netvirt-junit as much as for netvirt-core).
 */
public final class Topologies {
    private Topologies() {}

    /**
     * Hosts {@code a} and {@code b} joined by a veth, {@code eth0} at both ends, {@code a} with
     * {@code subnet}.1/24 and {@code b} with {@code subnet}.2/24 (e.g. subnet "10.0.0").
     */
    public static TopologyBuilder twoHosts(String a, String b, String subnet) {
        return Topology.create()
                .ns(a)
                .veth("eth0", b, "eth0")
                .addr(subnet + ".1/24")
                .ns(b)
                .dev("eth0")
                .addr(subnet + ".2/24");
    }
}
