package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cuts of one device nest: the device stays down until the last of them heals, and then comes back
 * as it was before the first.
 */
@RequiresRoot
class OverlappingCutsTest {
    private final String host = TestNames.unique("fa");
    private final String peer = TestNames.unique("fa");
    private NetNamespace hostNs;
    private NetNamespace peerNs;

    @BeforeEach
    void build() {
        hostNs = NetNamespace.create(host);
        peerNs = NetNamespace.create(peer);
        Ip.ok("-n", host, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", peer);
        Ip.ok("-n", host, "addr", "add", "10.79.0.1/24", "dev", "eth0");
        Ip.ok("-n", host, "addr", "add", "fd79::1/64", "dev", "eth0", "nodad");
        Ip.ok("-n", peer, "addr", "add", "10.79.0.2/24", "dev", "eth0");
        Ip.ok("-n", host, "link", "set", "eth0", "up");
        Ip.ok("-n", peer, "link", "set", "eth0", "up");
        Ip.ok("-n", host, "route", "add", "default", "via", "10.79.0.2");
        Ip.ok("-n", host, "-6", "route", "add", "fd80::/64", "via", "fd79::2");
    }

    @AfterEach
    void remove() {
        for (NetNamespace ns : new NetNamespace[] {hostNs, peerNs}) {
            String name = ns.name().orElseThrow();
            ns.close();
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }

    /** The host's routes of the main table and its addresses, as {@code ip} shows them (but the carrier). */
    private String state() {
        TreeSet<String> lines = new TreeSet<>();
        Stream.of(
                        Ip.ok("-n", host, "-4", "route", "show", "table", "main"),
                        Ip.ok("-n", host, "-6", "route", "show", "table", "main"),
                        Ip.ok("-n", host, "-br", "addr", "show", "dev", "eth0"))
                .flatMap(String::lines)
                .map(l -> l.replace(" linkdown", "").strip())
                .filter(l -> !l.isEmpty())
                .forEach(lines::add);
        return String.join("\n", lines);
    }

    private boolean up() {
        return Ip.ok("-n", host, "-j", "link", "show", "dev", "eth0").contains("\"UP\"");
    }

    @Test
    void theDeviceStaysDownUntilTheLastCutHeals() {
        String before = state();
        LinkCut first = LinkCut.cut(hostNs, "eth0");
        LinkCut second = LinkCut.cut(hostNs, "eth0");
        first.heal();
        assertThat(up()).as("up while the second cut holds").isFalse();
        assertThat(state()).doesNotContain("default via", "fd79::1/64");
        second.heal();
        assertThat(up()).isTrue();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void theLastOfCutsHealedInAnyOrderRestoresTheStateBeforeTheFirst() {
        String before = state();
        LinkCut first = LinkCut.cut(hostNs, "eth0");
        LinkCut second = LinkCut.cut(hostNs, "eth0");
        second.heal();
        assertThat(up()).isFalse();
        first.heal();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void concurrentCutsAndHealsOfOneDeviceEndAsItWas() throws Exception {
        String before = state();
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 10; i++) {
                        LinkCut cut = LinkCut.cut(hostNs, "eth0");
                        assertThat(up()).as("up during a cut").isFalse();
                        cut.heal();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(up()).isTrue();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aCutAndATopologyDownOfOneDeviceNest() {
        try (Topology t = Topologies.twoHosts("a", "b", "10.8.0").ephemeral().apply()) {
            NetNamespace a = t.namespace("a");
            t.down("a", "eth0");
            LinkCut cut = LinkCut.cut(a, "eth0");
            t.up("a", "eth0");
            assertThat(t.link("a", "eth0").isUp()).as("up while the cut holds").isFalse();
            cut.heal();
            assertThat(t.link("a", "eth0").isUp()).isTrue();
            LinkCut again = LinkCut.cut(a, "eth0");
            t.down("a", "eth0");
            again.heal();
            assertThat(t.link("a", "eth0").isUp())
                    .as("up while the topology's down holds")
                    .isFalse();
            t.up("a", "eth0");
            assertThat(t.link("a", "eth0").isUp()).isTrue();
        }
    }
}
