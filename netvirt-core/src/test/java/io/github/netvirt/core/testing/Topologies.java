package io.github.netvirt.core.testing;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.TopologyBuilder;
import java.time.Duration;

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

    /**
     * README.md's link-condition example as printed there (up to its {@code apply()}): client and
     * server routed through {@code router}, the client's link conditioned to 10 mbit, 40 ms delay with
     * 5 ms jitter and 1 % loss.
     */
    public static TopologyBuilder readmeLinkCondition() {
        return Topology.create()
                .ephemeral()
                .ns("client")
                .veth("eth0", "router", "c0")
                .addr("10.1.0.2/24")
                .rate("10mbit")
                .delay(Duration.ofMillis(40))
                .jitter(Duration.ofMillis(5))
                .loss(0.01)
                .ns("server")
                .veth("eth0", "router", "s0")
                .addr("10.2.0.2/24")
                .ns("router")
                .forwarding()
                .dev("c0")
                .addr("10.1.0.1/24")
                .dev("s0")
                .addr("10.2.0.1/24");
    }

    /** README's quiet tap, up to its {@code apply()}. */
    public static TopologyBuilder readmeQuietTap() {
        return Topology.create().ephemeral().ns("sniffer").tap("tap0").quiet().addr("10.9.0.1/24");
    }
}
