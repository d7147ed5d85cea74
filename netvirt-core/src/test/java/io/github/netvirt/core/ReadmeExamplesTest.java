package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.Link;
import io.github.netvirt.netns.testing.RequiresRoot;
import org.junit.jupiter.api.Test;

/** The README's second example, exactly as printed there, works. */
@RequiresRoot
class ReadmeExamplesTest {

    @Test
    void routedClientServerWithATap() throws Exception {
        try (Topology t = Topology.create().ephemeral()
                .ns("client").veth("eth0", "router", "c0").addr("10.1.0.2/24").gateway("10.1.0.1")
                .ns("server").veth("eth0", "router", "s0").addr("10.2.0.2/24").mtu(9000).gateway("10.2.0.1")
                .ns("router").forwarding().dev("c0").addr("10.1.0.1/24").dev("s0").addr("10.2.0.1/24").mtu(9000)
                .ns("sniffer").tap("tap0")
                .apply()) {
            assertThat(Tcp.echo(t.host("client"), t.host("server"), "10.2.0.2", 7001, "across the router"))
                    .isEqualTo("across the router");
            assertThat(t.link("server", "eth0").mtu()).isEqualTo(9000);
            assertThat(t.links("sniffer")).extracting(Link::name).contains("tap0");
            assertThat(t.host("router").exec("cat", "/proc/sys/net/ipv4/ip_forward").stdout().trim()).isEqualTo("1");
        }
    }
}
