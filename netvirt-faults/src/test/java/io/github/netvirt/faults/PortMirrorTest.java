package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.faults.testing.Lan;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@RequiresRoot
class PortMirrorTest {

    @Test
    void framesArrivingOnABridgePortAreCopiedToTheMonitorDevice() throws Exception {
        try (Lan lan = new Lan(2)) {
            String sw = lan.switchName;
            Ip.ok("-n", sw, "link", "add", "mon0", "type", "veth", "peer", "name", "mon1");
            Ip.ok("-n", sw, "link", "set", "mon0", "up");
            Ip.ok("-n", sw, "link", "set", "mon1", "up");
            NetNamespace swNs = NetNamespace.open(sw);
            try (swNs) {
                send(lan, 5); // ARP settles before counting
                long before = rxPackets(sw, "mon1");
                Fault m = PortMirror.ingress(swNs, "p0", "mon0");
                try (m) {
                    assertThat(RateLimitTest.tc("-n", sw, "filter", "show", "dev", "p0", "ingress"))
                            .contains("mirred (Egress Mirror to device mon0)");
                    send(lan, 50);
                    assertThat(awaitRx(sw, "mon1", before + 50) - before).isGreaterThanOrEqualTo(50);
                    assertThat(m.isActive()).isTrue();
                    m.heal();
                    assertThat(m.isActive()).isFalse();
                    assertThat(RateLimitTest.tc("-n", sw, "qdisc", "show", "dev", "p0"))
                            .doesNotContain("ingress");
                } // closing a healed fault does nothing
                assertThat(RateLimitTest.tc("-n", sw, "qdisc", "show", "dev", "p0"))
                        .doesNotContain("ingress");
                long after = rxPackets(sw, "mon1");
                send(lan, 50);
                assertThat(rxPackets(sw, "mon1") - after).isLessThan(5);
                assertThatThrownBy(() -> PortMirror.ingress(swNs, "p0", "nosuchdev"))
                        .hasMessageContaining("nosuchdev");
                assertThat(RateLimitTest.tc("-n", sw, "qdisc", "show", "dev", "p0"))
                        .doesNotContain("ingress");
            }
        }
    }

    @Test
    void healLeavesADeviceMadeSinceUnderTheSameNameAlone() {
        String name = TestNames.unique("gd");
        NetNamespace ns = twoPairs(name);
        try {
            Fault m = PortMirror.ingress(ns, "gdA", "gdM");
            // the device goes, and someone else makes one of the same name with an ingress qdisc of its own
            Ip.ok("-n", name, "link", "del", "gdA");
            Ip.ok("-n", name, "link", "add", "gdA", "type", "veth", "peer", "name", "gdB");
            RateLimitTest.tc("-n", name, "qdisc", "add", "dev", "gdA", "ingress");
            m.heal();
            assertThat(m.isActive()).isFalse();
            assertThat(RateLimitTest.tc("-n", name, "qdisc", "show", "dev", "gdA"))
                    .contains("ingress");
        } finally {
            ns.close();
            NetNamespace.delete(name);
        }
    }

    /**
     * The kernel numbers the u32 nodes of every new ingress qdisc from {@code 800::800}: a filter
     * someone else adds like the mirror's, after the mirror's qdisc went, has the mirror's priority,
     * handle and target. Its action's cookie tells them apart.
     */
    @Test
    void healLeavesAFilterLikeTheMirrorsAlone() {
        String name = TestNames.unique("gd");
        NetNamespace ns = twoPairs(name);
        try {
            Fault m = PortMirror.ingress(ns, "gdA", "gdM");
            RateLimitTest.tc("-n", name, "qdisc", "del", "dev", "gdA", "ingress");
            RateLimitTest.tc("-n", name, "qdisc", "add", "dev", "gdA", "ingress");
            RateLimitTest.tc(("-n " + name + " filter add dev gdA parent ffff: protocol all prio 1 u32 match u32 0 0"
                            + " action mirred egress mirror dev gdM")
                    .split(" "));
            m.heal();
            assertThat(m.isActive()).isFalse();
            assertThat(RateLimitTest.tc("-n", name, "filter", "show", "dev", "gdA", "ingress"))
                    .contains("fh 800::800")
                    .contains("mirred (Egress Mirror to device gdM)");
        } finally {
            ns.close();
            NetNamespace.delete(name);
        }
    }

    @Test
    void healingAfterTheDeviceOrItsQdiscWentIsQuiet() {
        String name = TestNames.unique("gd");
        NetNamespace ns = twoPairs(name);
        try {
            Fault m = PortMirror.ingress(ns, "gdA", "gdM");
            Ip.ok("-n", name, "link", "del", "gdA");
            m.heal();
            assertThat(m.isActive()).isFalse();
            // its ingress qdisc removed by hand: the kernel answers EINVAL once the device has had one
            Ip.ok("-n", name, "link", "add", "gdA", "type", "veth", "peer", "name", "gdB");
            Fault again = PortMirror.ingress(ns, "gdA", "gdM");
            RateLimitTest.tc("-n", name, "qdisc", "del", "dev", "gdA", "ingress");
            again.heal();
            assertThat(again.isActive()).isFalse();
        } finally {
            ns.close();
            NetNamespace.delete(name);
        }
    }

    /**
     * The device mirrored to deleted (the kernel then reports the action's target as ifindex 0,
     * {@code tc}'s "Egress Mirror to device *", with the mirror's cookie still on it), or deleted and
     * made again under its name (the action stays unbound): the cookie proves the filter the mirror's,
     * and the heal removes it with the ingress qdisc; the device takes another ingress qdisc after.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void healRemovesTheMirrorWhoseTargetWentAway(boolean madeAgain) {
        String name = TestNames.unique("fm");
        NetNamespace ns = twoPairs(name);
        try {
            Fault m = PortMirror.ingress(ns, "gdA", "gdM");
            Ip.ok("-n", name, "link", "del", "gdM");
            if (madeAgain) {
                Ip.ok("-n", name, "link", "add", "gdM", "type", "veth", "peer", "name", "gdN");
            }
            assertThat(RateLimitTest.tc("-n", name, "filter", "show", "dev", "gdA", "ingress"))
                    .contains("Egress Mirror to device *");
            m.heal();
            assertThat(m.isActive()).isFalse();
            assertThat(RateLimitTest.tc("-n", name, "-j", "qdisc", "show", "dev", "gdA", "ingress"))
                    .doesNotContain("\"kind\":\"ingress\"");
            assertThat(RateLimitTest.tc("-n", name, "-j", "filter", "show", "dev", "gdA", "ingress"))
                    .doesNotContain("mirred");
            RateLimitTest.tc("-n", name, "qdisc", "add", "dev", "gdA", "ingress"); // EEXIST before
        } finally {
            ns.close();
            NetNamespace.delete(name);
        }
    }

    /**
     * As {@link #healRemovesTheMirrorWhoseTargetWentAway}, with a filter of someone else's on the
     * mirror's ingress qdisc: only the mirror's filter goes.
     */
    @Test
    void healRemovesOnlyTheFilterOfAMirrorWhoseTargetWentAwayBesideAnothers() {
        String name = TestNames.unique("fm");
        NetNamespace ns = twoPairs(name);
        try {
            Fault m = PortMirror.ingress(ns, "gdA", "gdM");
            Ip.ok("-n", name, "link", "add", "gdO", "type", "veth", "peer", "name", "gdP");
            RateLimitTest.tc(("-n " + name + " filter add dev gdA parent ffff: protocol all prio 7 u32 match u32 0 0"
                            + " action mirred egress mirror dev gdO")
                    .split(" "));
            Ip.ok("-n", name, "link", "del", "gdM");
            m.heal();
            assertThat(m.isActive()).isFalse();
            assertThat(RateLimitTest.tc("-n", name, "-j", "qdisc", "show", "dev", "gdA", "ingress"))
                    .contains("\"kind\":\"ingress\"");
            assertThat(RateLimitTest.tc("-n", name, "-j", "filter", "show", "dev", "gdA", "ingress"))
                    .contains("\"pref\":7")
                    .doesNotContain("\"pref\":1,");
        } finally {
            ns.close();
            NetNamespace.delete(name);
        }
    }

    /** A new namespace {@code name} with veth pairs gdA/gdB and gdM/gdN. */
    private static NetNamespace twoPairs(String name) {
        NetNamespace ns = NetNamespace.create(name);
        try {
            Ip.ok("-n", name, "link", "add", "gdA", "type", "veth", "peer", "name", "gdB");
            Ip.ok("-n", name, "link", "add", "gdM", "type", "veth", "peer", "name", "gdN");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            NetNamespace.delete(name);
            throw e;
        }
    }

    /** Sends {@code n} datagrams from host 0 to host 1, through p0; returns once host 1 received them. */
    private static void send(Lan lan, int n) throws Exception {
        long before = rxPackets(lan.names.get(1), "eth0");
        try (DatagramChannel tx = lan.host(0).openDatagramChannel()) {
            for (int i = 0; i < n; i++) {
                tx.send(ByteBuffer.allocate(8), new InetSocketAddress(Lan.address(1), 9));
            }
        }
        awaitRx(lan.names.get(1), "eth0", before + n);
    }

    /** The device's received packets once they reach {@code count}, or when 5 s have passed. */
    private static long awaitRx(String ns, String dev, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long rx;
        while ((rx = rxPackets(ns, dev)) < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return rx;
    }

    private static long rxPackets(String ns, String dev) {
        String json = Ip.ok("-n", ns, "-s", "-j", "link", "show", "dev", dev);
        Matcher m =
                Pattern.compile("\"rx\":\\{\"bytes\":\\d+,\"packets\":(\\d+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
