package io.github.netvirt.junit;

import io.github.netvirt.core.testing.Topologies;

/** The network most tests here use: two hosts joined by a veth, eth0 at both ends, on one /24 ({@link Topologies#twoHosts}). */
final class TwoHosts {
    private TwoHosts() {}

    /** Host {@code a} with {@code subnet}.1/24, host {@code b} with {@code subnet}.2/24 (e.g. subnet "10.0.0"). */
    static TestNetwork of(String a, String b, String subnet) {
        return TestNetwork.of(Topologies.twoHosts(a, b, subnet));
    }

    /** Hosts server ({@code subnet}.1) and client ({@code subnet}.2). */
    static TestNetwork serverAndClient(String subnet) {
        return of("server", "client", subnet);
    }
}
