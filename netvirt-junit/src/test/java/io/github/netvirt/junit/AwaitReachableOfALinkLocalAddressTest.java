package io.github.netvirt.junit;

import io.github.netvirt.core.Topology;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link TestNetwork#awaitReachable} of a link-local address with a zone ({@code fe80::1%eth0}) takes
 * the zone as a device of the probing host, as {@code ping fe80::1%eth0} run there does: the JDK read
 * it as a device of the JVM's namespace (the machine's {@code eth0}, whose ifindex the host has not:
 * "Network is unreachable"; on a machine without one, "not an address").
 */
@NetvirtTest
class AwaitReachableOfALinkLocalAddressTest {
    @Network
    static TestNetwork net = TestNetwork.of(Topology.create()
            .ns("server")
            .veth("eth0", "client", "eth0")
            .addr("fe80::1/64")
            .addr("fd85::1/64")
            .ns("client")
            .dev("eth0")
            .addr("fd85::2/64"));

    @Test
    void theZoneNamesADeviceOfTheProbingHost() throws Exception {
        try (ServerSocket s =
                net.namespace("server").serverSocketFactory().createServerSocket(0, 5, InetAddress.getByName("::"))) {
            net.awaitReachable("client", "fe80::1%eth0", s.getLocalPort(), Duration.ofSeconds(2));
        }
    }
}
