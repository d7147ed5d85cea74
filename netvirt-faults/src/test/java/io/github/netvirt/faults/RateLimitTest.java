package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.faults.testing.Lan;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@RequiresRoot
class RateLimitTest {

    @Test
    void tbfIsInstalledReadBackAndShapesTraffic() throws Exception {
        try (Lan lan = new Lan(2)) {
            String a = lan.names.get(0);
            RateLimit limit = new RateLimit(2_000_000, 16 * 1024, Duration.ofMillis(100));
            Fault fault = limit.on(lan.host(0), "eth0");
            assertThat(fault.isActive()).isTrue();
            String shown = tc("-n", a, "-j", "qdisc", "show", "dev", "eth0");
            assertThat(shown)
                    .contains("\"kind\":\"tbf\"")
                    .contains("\"rate\":250000")
                    .contains("\"burst\":16384");

            long limited = transferNanos(lan.host(0), lan.host(1), 512 * 1024);
            fault.heal();
            assertThat(fault.isActive()).isFalse();
            assertThat(tc("-n", a, "-j", "qdisc", "show", "dev", "eth0")).doesNotContain("tbf");
            long free = transferNanos(lan.host(0), lan.host(1), 512 * 1024);

            // 512 KiB at 2 Mbit/s is 2.1 s (minus the 16 KiB burst); unshaped it is a few ms
            assertThat(Duration.ofNanos(limited)).isGreaterThan(Duration.ofMillis(1500));
            assertThat(limited).isGreaterThan(free * 5);
            fault.heal(); // healing twice is a no-op
            assertThat(tc("-n", a, "-j", "qdisc", "show", "dev", "eth0")).doesNotContain("tbf");
        }
    }

    @Test
    void badValuesAndUnknownDevicesFailClearly() {
        assertThatThrownBy(() -> new RateLimit(0, 16000, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> new RateLimit(1_000_000, 100, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("burst");
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            assertThatThrownBy(() -> RateLimit.of(1_000_000).on(ns, "nosuchdev"))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageContaining("nosuchdev")
                    .satisfies(e -> assertThat(((NetlinkException) e).errno()).isEqualTo(19));
        }
    }

    @Test
    void healingAfterTheDeviceWentOrTheLimitWasRemovedIsQuiet() {
        try (Lan lan = new Lan(2)) {
            String a = lan.names.get(0);
            Fault fault = RateLimit.of(1_000_000).on(lan.host(0), "eth0");
            Ip.ok("-n", a, "link", "del", "eth0");
            fault.heal();
            assertThat(fault.isActive()).isFalse();
            assertThat(fault.toString()).contains("healed");
        }
    }

    @Test
    void healLeavesADeviceMadeSinceUnderTheSameNameAlone() {
        String name = TestNames.unique("gd");
        NetNamespace ns = NetNamespace.create(name);
        try {
            Ip.ok("-n", name, "link", "add", "gdA", "type", "veth", "peer", "name", "gdB");
            Fault fault = RateLimit.of(1_000_000).on(ns, "gdA");
            // the device goes, and someone else makes one of the same name with a tbf of its own
            Ip.ok("-n", name, "link", "del", "gdA");
            Ip.ok("-n", name, "link", "add", "gdA", "type", "veth", "peer", "name", "gdB");
            tc(
                    "-n", name, "qdisc", "add", "dev", "gdA", "root", "tbf", "rate", "3mbit", "burst", "16k", "latency",
                    "50ms");
            fault.heal();
            assertThat(tc("-n", name, "qdisc", "show", "dev", "gdA")).contains("tbf");
        } finally {
            ns.close();
            NetNamespace.delete(name);
        }
    }

    @Test
    void aDeviceWithARootQdiscOfItsOwnIsRefusedAndLeftAsItWas() {
        String name = TestNames.unique("gd");
        NetNamespace ns = NetNamespace.create(name);
        try {
            Ip.ok("-n", name, "link", "add", "gdA", "type", "veth", "peer", "name", "gdB");
            Fault first = RateLimit.of(1_000_000).on(ns, "gdA");
            // a second limit would replace the first, and healing the first would then remove the second
            assertThatThrownBy(() -> RateLimit.of(2_000_000).on(ns, "gdA"))
                    .isInstanceOf(NetlinkException.class)
                    .hasMessageContaining("gdA")
                    .satisfies(
                            e -> assertThat(((NetlinkException) e).isExists()).isTrue());
            assertThat(tc("-n", name, "-j", "qdisc", "show", "dev", "gdA")).contains("\"rate\":125000");
            first.heal();
            // a qdisc someone else put there: replaced, then deleted by the heal, it would be lost
            tc(
                    "-n", name, "qdisc", "add", "dev", "gdA", "root", "tbf", "rate", "3mbit", "burst", "16k", "latency",
                    "50ms");
            assertThatThrownBy(() -> RateLimit.of(1_000_000).on(ns, "gdA"))
                    .isInstanceOf(NetlinkException.class)
                    .satisfies(
                            e -> assertThat(((NetlinkException) e).isExists()).isTrue());
            assertThat(tc("-n", name, "-j", "qdisc", "show", "dev", "gdA")).contains("\"rate\":375000");
        } finally {
            ns.close();
            NetNamespace.delete(name);
        }
    }

    /** Sends {@code bytes} by TCP from {@code from} to host 1 and returns how long until the receiver had them all. */
    private static long transferNanos(NetNamespace from, NetNamespace to, int bytes) throws Exception {
        try (ServerSocketChannel ss = to.openServerSocketChannel()) {
            ss.bind(new InetSocketAddress(Lan.address(1), 0));
            Future<Long> rx = to.submit(() -> {
                try (SocketChannel c = ss.accept()) {
                    ByteBuffer b = ByteBuffer.allocate(65536);
                    long n = 0;
                    while (n < bytes) {
                        b.clear();
                        int r = c.read(b);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                    return System.nanoTime();
                }
            });
            long start = System.nanoTime();
            try (SocketChannel c = from.openSocketChannel()) {
                c.connect(ss.getLocalAddress());
                ByteBuffer data = ByteBuffer.allocate(bytes);
                while (data.hasRemaining()) {
                    c.write(data);
                }
                return rx.get() - start;
            }
        }
    }

    static String tc(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tc"));
        cmd.addAll(List.of(args));
        Ip.Result r = Ip.exec(cmd);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out();
    }
}
