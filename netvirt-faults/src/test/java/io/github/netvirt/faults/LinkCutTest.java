package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.faults.ScheduledFault.Kind;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cut link comes back as it was: setting a device down makes the kernel delete the routes through
 * it (IPv4 and IPv6) and its IPv6 addresses, which setting it up does not bring back.
 */
@RequiresRoot
class LinkCutTest {
    private final String host = TestNames.unique("rdh");
    private final String peer = TestNames.unique("rdp");
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
        Ip.ok("-n", peer, "addr", "add", "fd79::2/64", "dev", "eth0", "nodad");
        Ip.ok("-n", host, "link", "set", "eth0", "up");
        Ip.ok("-n", peer, "link", "set", "eth0", "up");
        Ip.ok("-n", host, "route", "add", "default", "via", "10.79.0.2");
        Ip.ok("-n", host, "route", "add", "10.80.0.0/24", "via", "10.79.0.2", "metric", "50");
        Ip.ok("-n", host, "route", "add", "10.81.0.0/24", "dev", "eth0", "scope", "link");
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

    /** The host's routes of the main table and its addresses, as {@code ip} shows them. */
    private String state() {
        TreeSet<String> lines = new TreeSet<>();
        Stream.of(
                        Ip.ok("-n", host, "-4", "route", "show", "table", "main"),
                        Ip.ok("-n", host, "-6", "route", "show", "table", "main"),
                        Ip.ok("-n", host, "-br", "addr", "show", "dev", "eth0"))
                .flatMap(String::lines)
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .forEach(lines::add);
        return String.join("\n", lines);
    }

    @Test
    void aHealedCutHasItsRoutesAndAddressesBack() {
        String before = state();
        assertThat(before).contains("default via 10.79.0.2", "10.80.0.0/24", "fd80::/64", "fd79::1/64");
        LinkCut cut = LinkCut.cut(hostNs, "eth0");
        assertThat(Ip.ok("-n", host, "route", "show")).doesNotContain("default");
        cut.heal();
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void aScheduleClosedDuringACutLeavesTheLinkAsItWas() throws Exception {
        String before = state();
        FaultSchedule s = FaultSchedule.over(List.of(), List.of(host + "/eth0"))
                .kinds(Kind.CUT)
                .length(Duration.ofSeconds(10))
                .faults(1)
                .faultLength(Duration.ofSeconds(9), Duration.ofSeconds(9))
                .plan(1);
        try (ScheduleRun run = s.start(Map.of(host, hostNs))) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (run.active().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(run.active()).as("the cut started").isNotEmpty();
        }
        assertThat(state()).isEqualTo(before);
    }
}
