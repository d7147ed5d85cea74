package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/**
 * A host name stands for the addresses of its host that others reach by it: not an IPv6 link-local
 * one, such as the {@code fe80::1} a router has on each link. Without a zone, which only the caller's
 * own device could give, a connect to it fails ({@code EINVAL}, "Invalid argument"), and it was the
 * router's first address: {@code address("router")} gave it, and so did the host's {@code
 * socketFactory()}.
 */
@RequiresRoot
class LinkLocalHostAddressTest {

    private static TopologyBuilder routed() {
        return Topology.create()
                .ephemeral()
                .ns("client")
                .veth("eth0", "router", "c0")
                .addr("fd61::2/64")
                .route("::/0", "fe80::1", "eth0")
                .ns("router")
                .dev("c0")
                .addr("fe80::1/64")
                .addr("fd61::1/64");
    }

    @Test
    void aRoutersNameStandsForItsGlobalAddressNotItsLinkLocalOne() throws Exception {
        InetAddress global = InetAddress.getByName("fd61::1");
        assertThat(HostNames.table(routed().spec())).containsEntry("router", java.util.List.of(global));
        try (Topology t = routed().apply()) {
            assertThat(t.address("router")).isEqualTo(global);
            try (ServerSocket s = t.namespace("router")
                            .serverSocketFactory()
                            .createServerSocket(0, 5, InetAddress.getByName("::"));
                    Socket c = t.namespace("client").socketFactory().createSocket("router", s.getLocalPort())) {
                assertThat(c.getInetAddress()).isEqualTo(global);
            }
        }
    }
}
