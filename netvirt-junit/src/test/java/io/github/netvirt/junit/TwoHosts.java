package io.github.netvirt.junit;

import io.github.netvirt.core.Topology;

/** The network most tests here use: two hosts joined by a veth, eth0 at both ends, on one /24. */
final class TwoHosts {
    private TwoHosts() {}

    /** Host {@code a} with {@code subnet}.1/24, host {@code b} with {@code subnet}.2/24 (e.g. subnet "10.0.0"). */
    static TestNetwork of(String a, String b, String subnet) {
        return TestNetwork.of(Topology.create()
                .ns(a)
                .veth("eth0", b, "eth0")
                .addr(subnet + ".1/24")
                .ns(b)
                .dev("eth0")
                .addr(subnet + ".2/24"));
    }

    /** Hosts server ({@code subnet}.1) and client ({@code subnet}.2). */
    static TestNetwork serverAndClient(String subnet) {
        return of("server", "client", subnet);
    }
}
