package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.IpPrefix;
import io.github.netvirt.netlink.Link;
import io.github.netvirt.netlink.Route;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import io.github.netvirt.tap.TapDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The live handle: cut and restore links, routers, taps as streams, read-back, and every device kind. */
@RequiresRoot
class LiveTopologyTest {

    @Test
    void linksGoDownAndUpAtRuntime() throws Exception {
        try (Topology t = Seeds.seed().ephemeral().apply()) {
            assertThat(Tcp.echo(t.namespace("net0"), t.namespace("net1"), "10.0.1.2", 5300, "before"))
                    .isEqualTo("before");
            t.down("bridge", "bridge-net1");
            assertThat(t.link("bridge", "bridge-net1").isUp()).isFalse();
            assertThatThrownBy(() -> Tcp.echo(t.namespace("net0"), t.namespace("net1"), "10.0.1.2", 5301, "cut"))
                    .isInstanceOf(IOException.class);
            t.up("bridge", "bridge-net1");
            assertThat(t.link("bridge", "bridge-net1").isUp()).isTrue();
            // the port goes through STP-less forwarding states again: retry for a moment
            String echo = null;
            for (int i = 0; i < 50 && echo == null; i++) {
                try {
                    echo = Tcp.echo(t.namespace("net0"), t.namespace("net1"), "10.0.1.2", 5302 + i, "after");
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            assertThat(echo).isEqualTo("after");
        }
    }

    @Test
    void upGivesBackTheRoutesAndAddressesTheDownTook() throws Exception {
        try (Topology t = Seeds.routed()
                .ephemeral()
                .ns("h1")
                .dev("eth0")
                .addr("fd01::2/64")
                .route("10.7.0.0/24", "10.1.0.1")
                .apply()) {
            String before = routesAndAddresses(t, "h1");
            assertThat(before).contains("default via 10.1.0.1", "10.7.0.0/24 via 10.1.0.1", "fd01::2/64");
            t.down("h1", "eth0");
            assertThat(routesAndAddresses(t, "h1")).doesNotContain("default", "fd01::2/64");
            t.up("h1", "eth0");
            assertThat(routesAndAddresses(t, "h1")).isEqualTo(before);
            assertThat(Tcp.echo(t.namespace("h1"), t.namespace("h2"), "10.2.0.2", 5410, "back"))
                    .isEqualTo("back");
        }
    }

    @Test
    void anAddressAChangeRemovesWhileTheDeviceIsDownStaysRemovedAfterUp() throws Exception {
        try (Topology t = Seeds.routed()
                .ephemeral()
                .ns("h1")
                .dev("eth0")
                .addr("fd01::2/64")
                .addr("fd02::2/64")
                .apply()) {
            t.down("h1", "eth0"); // the kernel takes the IPv6 addresses
            t.change().ns("h1").dev("eth0").removeAddr("fd01::2/64").apply();
            t.up("h1", "eth0");
            assertThat(t.spec().device("h1", "eth0").addresses()).doesNotContain(IpPrefix.parse("fd01::2/64"));
            assertThat(t.addrList("h1").stream().map(a -> a.prefix().toString()))
                    .contains("10.1.0.2/24", "fd02::2/64")
                    .doesNotContain("fd01::2/64");
        }
    }

    @Test
    void downsOfOneDeviceFromTwoThreadsAtOnceLeaveUpTheRoutesToGiveBack() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Topology t = Seeds.routed().ephemeral().apply()) {
            for (int i = 0; i < 50; i++) {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> downs = new ArrayList<>();
                for (int j = 0; j < 2; j++) {
                    downs.add(pool.submit(() -> {
                        together.await();
                        t.down("h1", "eth0");
                        return null;
                    }));
                }
                for (Future<?> f : downs) {
                    f.get();
                }
                t.up("h1", "eth0");
                assertThat(t.routeList("h1").stream().map(r -> r.destination() + " via " + r.gateway()))
                        .as("round %d", i)
                        .contains("0.0.0.0/0 via /10.1.0.1");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The main table's routes and the addresses of namespace {@code ns}, as {@code ip} shows them. */
    private static String routesAndAddresses(Topology t, String ns) throws IOException, InterruptedException {
        NetNamespace n = t.namespace(ns);
        String shown = n.exec("ip", "-4", "route", "show", "table", "main").stdout()
                + n.exec("ip", "-6", "route", "show", "table", "main").stdout()
                + n.exec("ip", "-br", "addr", "show", "dev", "eth0").stdout();
        return String.join(
                "\n",
                new TreeSet<>(shown.lines()
                        .map(String::strip)
                        .filter(l -> !l.isEmpty())
                        .toList()));
    }

    @Test
    void routerForwardsBetweenTwoSubnets() throws Exception {
        try (Topology t = Seeds.routed()
                .ephemeral()
                .ns("h2")
                .dev("eth0")
                .addr("fd02::2/64")
                .apply()) {
            assertThat(Tcp.echo(t.namespace("h1"), t.namespace("h2"), "10.2.0.2", 5400, "routed"))
                    .isEqualTo("routed");
            List<Route> routes = t.routeList("h1");
            assertThat(routes)
                    .anyMatch(r -> r.isDefault()
                            && r.gateway() != null
                            && r.gateway().getHostAddress().equals("10.1.0.1"));
            InetAddress v6 = InetAddress.getByName("fd02::2");
            assertThat(t.addrList("h2"))
                    .anyMatch(a -> a.prefix().address().equals(v6) && a.prefix().prefixLength() == 64);
            assertThat(t.namespace("r")
                            .exec("cat", "/proc/sys/net/ipv4/ip_forward")
                            .stdout()
                            .trim())
                    .isEqualTo("1");
        }
    }

    @Test
    void tapsAreOpenAsStreams() throws Exception {
        try (Topology t = Topology.create()
                .ephemeral()
                .ns("h")
                .tap("tap0")
                .addr("10.9.0.1/24")
                .mtu(1400)
                .mac("02:00:00:00:09:01")
                .apply()) {
            TapDevice tap = t.tap("h", "tap0");
            Link l = t.link("h", "tap0");
            assertThat(l.mtu()).isEqualTo(1400);
            assertThat(l.mac().toString()).isEqualTo("02:00:00:00:09:01");
            // a datagram to a neighbour on the tap's subnet makes the kernel ask for its MAC on the tap
            NetNamespace h = t.namespace("h");
            try (DatagramChannel d = h.openDatagramChannel()) {
                d.send(ByteBuffer.wrap(new byte[] {1}), new InetSocketAddress("10.9.0.2", 9));
            }
            byte[] frame = new byte[2048];
            boolean arp = false;
            tap.setReadTimeout(Duration.ofSeconds(3));
            for (int i = 0; i < 10 && !arp; i++) {
                int n = tap.inputStream().read(frame);
                arp = n >= 42
                        && (frame[12] & 0xff) == 0x08
                        && (frame[13] & 0xff) == 0x06
                        && (frame[38] & 0xff) == 10
                        && (frame[39] & 0xff) == 9
                        && (frame[41] & 0xff) == 2;
            }
            assertThat(arp).as("an ARP request for 10.9.0.2 read from the tap").isTrue();
            assertThatThrownBy(() -> t.tap("h", "nope")).isInstanceOf(NoSuchElementException.class);
        }
    }

    @Test
    void queueCountsAreMadeAsTheScriptMakesThemAndKeptThroughAChange() throws Exception {
        String ours = TestNames.unique("co") + "-";
        String script = TestNames.unique("co") + "-";
        TopologyBuilder b = Topology.create()
                .ns("h")
                .veth("eth0", "r", "r-h")
                .queues(1)
                .addr("10.4.0.2/24")
                .ns("r")
                .bridge("br0")
                .queues(2)
                .ports("r-h");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(script);
                Topology t = b.prefix(ours).apply()) {
            Reference.sh(b.prefix(script).toScript()).ok();
            String dump = Reference.stateDump(ours);
            assertThat(dump).contains("txq=1").contains("txq=2").isEqualTo(Reference.stateDump(script));
            // the peer, given no count, has its pair's: one queue each way, in use (not every CPU's)
            for (String dev : List.of("r-h", "br0")) {
                String queues = t.namespace("r")
                        .exec("ls", "/sys/class/net/" + dev + "/queues")
                        .stdout();
                assertThat(queues.trim().split("\\s+"))
                        .containsExactly(
                                dev.equals("br0")
                                        ? new String[] {"rx-0", "rx-1", "tx-0", "tx-1"}
                                        : new String[] {"rx-0", "tx-0"});
            }
            t.change().ns("h").dev("eth0").addr("10.4.0.3/24").apply();
            assertThat(Reference.stateDump(ours)).contains("local=10.4.0.3/24").contains("txq=1");
        }
        assertThat(Reference.namespaces(ours)).isEmpty();
    }

    @Test
    void everyKindMatchesWhatItsScriptBuilds() {
        String ours = TestNames.unique("co") + "-";
        String script = TestNames.unique("co") + "-";
        TopologyBuilder b = Seeds.everyKind().mtu(1450).mac("02:00:00:00:0b:01");
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(script);
                Topology t = b.prefix(ours).apply()) {
            Reference.sh(b.prefix(script).toScript()).ok();
            assertThat(Reference.stateDump(ours))
                    .contains("kind=macvlan")
                    .contains("kind=vxlan")
                    .contains("dst=10.7.0.0/16 dev=vx0")
                    .isEqualTo(Reference.stateDump(script));
        }
        assertThat(Reference.namespaces(ours)).isEmpty();
    }
}
