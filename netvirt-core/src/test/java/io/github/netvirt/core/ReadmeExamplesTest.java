package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.TapDevice;
import io.github.netvirt.tap.TapTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's examples of netvirt-core, as printed there (a unique prefix instead of "lab-"), work. */
@RequiresRoot
class ReadmeExamplesTest {

    @Test
    void routedClientServerWithATap() throws Exception {
        try (Topology t = Topology.create()
                .ephemeral()
                .ns("client")
                .veth("eth0", "router", "c0")
                .addr("10.1.0.2/24")
                .gateway("10.1.0.1")
                .ns("server")
                .veth("eth0", "router", "s0")
                .addr("10.2.0.2/24")
                .mtu(9000)
                .gateway("10.2.0.1")
                .ns("router")
                .forwarding()
                .dev("c0")
                .addr("10.1.0.1/24")
                .dev("s0")
                .addr("10.2.0.1/24")
                .mtu(9000)
                .ns("sniffer")
                .tap("tap0")
                .apply()) {
            assertThat(Tcp.echo(t.namespace("client"), t.namespace("server"), "10.2.0.2", 7001, "across the router"))
                    .isEqualTo("across the router");
            assertThat(t.link("server", "eth0").mtu()).isEqualTo(9000);
            assertThat(t.linkList("sniffer")).extracting(Link::name).contains("tap0");
            assertThat(t.namespace("router")
                            .exec("cat", "/proc/sys/net/ipv4/ip_forward")
                            .stdout()
                            .trim())
                    .isEqualTo("1");
        }
    }

    @Test
    void keepingANetwork() {
        String prefix = TestNames.unique("hL") + "-"; // the README says "lab-"
        try {
            Topology lab = Topology.create()
                    .prefix(prefix)
                    .ns("net0")
                    .veth("net0-bridge", "bridge", "bridge-net0")
                    .addr("10.0.1.1/24")
                    .ns("bridge")
                    .bridge("br")
                    .ports("bridge-net0")
                    .apply();
            lab.detach(); // lab-net0 and lab-bridge outlive the JVM
            assertThat(NetNamespace.exists(prefix + "net0")).isTrue();
            // ... later, in this JVM or another:
            List<String> removed = Topology.removeDetached(prefix); // or removeDetached("lab-net0")
            assertThat(removed).containsExactlyInAnyOrder("netns " + prefix + "net0", "netns " + prefix + "bridge");
            assertThat(NetNamespace.exists(prefix + "net0")).isFalse();
            assertThat(NetNamespace.exists(prefix + "bridge")).isFalse();
        } finally {
            for (String n : NetNamespace.list()) {
                if (n.startsWith(prefix)) {
                    Ip.run("netns", "del", n);
                }
            }
        }
    }

    @Test
    void aQuietTap() throws Exception {
        ByteBuffer frame = ByteBuffer.allocateDirect(TapDevice.MAX_FRAME);
        try (Topology t = Topologies.readmeQuietTap().apply()) {
            TapDevice tap = t.tap("sniffer", "tap0");
            tap.setReadTimeout(Duration.ofSeconds(1));
            assertThatThrownBy(() -> tap.read(frame)) // TapTimeoutException: nothing was sent, so nothing arrives
                    .isInstanceOf(TapTimeoutException.class);
        }
    }
}
