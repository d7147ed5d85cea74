package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.Topology;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A heal that throws leaves its fault active, in the kernel and in the handle's care: {@code isActive()}
 * stays true, {@code toString()} does not say healed, a second {@code heal()} tries again, and closing
 * the handle the fault was given (a topology's close) heals it. What the failed heal undid stays undone.
 */
@RequiresRoot
class FailedHealTest {
    private final String host = TestNames.unique("hr");
    private final String peer = TestNames.unique("hr");
    private NetNamespace hostNs;
    private NetNamespace peerNs;

    @BeforeEach
    void build() {
        hostNs = NetNamespace.create(host);
        peerNs = NetNamespace.create(peer);
        Ip.ok("-n", host, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", peer);
        Ip.ok("-n", host, "link", "add", "d0", "type", "veth", "peer", "name", "d1");
        Ip.ok("-n", host, "addr", "add", "10.79.0.1/24", "dev", "eth0");
        Ip.ok("-n", peer, "addr", "add", "10.79.0.2/24", "dev", "eth0");
        Ip.ok("-n", host, "link", "set", "eth0", "up");
        Ip.ok("-n", host, "link", "set", "d0", "up");
        Ip.ok("-n", host, "link", "set", "d1", "up");
        Ip.ok("-n", peer, "link", "set", "eth0", "up");
        Ip.ok("-n", host, "route", "add", "10.80.0.0/24", "via", "10.79.0.2");
    }

    @AfterEach
    void remove() {
        Thread.interrupted();
        for (NetNamespace ns : new NetNamespace[] {hostNs, peerNs}) {
            String name = ns.name().orElseThrow();
            if (ns.isOpen()) {
                ns.close();
            }
            if (NetNamespace.exists(name)) {
                NetNamespace.delete(name);
            }
        }
    }

    private String route() {
        return Ip.ok("-n", host, "-4", "route", "show", "10.80.0.0/24").strip();
    }

    /**
     * The user adds a route of their own where the cut's heal gives one back: the heal sets the device
     * up and throws EEXIST; the cut stays active until a heal gives the route back.
     */
    @Test
    void aCutWhoseRouteCannotComeBackStaysActiveAndItsHealRetries() {
        LinkCut cut = LinkCut.cut(hostNs, "eth0");
        Ip.ok("-n", host, "route", "add", "10.80.0.0/24", "dev", "d0");
        assertThatThrownBy(cut::heal)
                .isInstanceOf(NetlinkException.class)
                .matches(e -> ((NetlinkException) e).isExists());
        assertThat(cut.isActive()).as("isActive after a heal that threw").isTrue();
        assertThat(cut.toString()).doesNotContain("healed");
        assertThat(Ip.ok("-n", host, "-o", "link", "show", "dev", "eth0"))
                .as("set up by the failed heal")
                .contains(",UP");
        assertThatThrownBy(cut::heal).as("a second heal tries again").isInstanceOf(NetlinkException.class);

        Ip.ok("-n", host, "route", "del", "10.80.0.0/24", "dev", "d0");
        cut.heal();
        assertThat(route()).isEqualTo("10.80.0.0/24 via 10.79.0.2 dev eth0");
        assertThat(cut.isActive()).isFalse();
        assertThat(cut.toString()).contains("healed");
    }

    /** The same, and the close of the handle the cut was given heals it, once the route can come back. */
    @Test
    void theCloseOfTheGivenHandleHealsACutWhoseHealThrew() {
        NetNamespace given = hostNs.reopen();
        LinkCut cut = LinkCut.cut(given, "eth0");
        Ip.ok("-n", host, "route", "add", "10.80.0.0/24", "dev", "d0");
        assertThatThrownBy(cut::heal).isInstanceOf(NetlinkException.class);
        Ip.ok("-n", host, "route", "del", "10.80.0.0/24", "dev", "d0");
        given.close();
        assertThat(route()).isEqualTo("10.80.0.0/24 via 10.79.0.2 dev eth0");
        assertThat(cut.isActive()).isFalse();
    }

    /**
     * In a namespace a topology adopted, a cut whose heal threw is healed by the topology's close once
     * the route can come back: the crash record is not let go with the device's route still missing.
     */
    @Test
    void theTopologysCloseHealsACutWhoseHealThrewInAnAdoptedNamespace() {
        LinkCut cut;
        try (Topology t = Topology.create()
                .prefix(TestNames.unique("hr") + "-")
                .adopt("app", host)
                .apply()) {
            cut = LinkCut.cut(t.namespace("app"), "eth0");
            Ip.ok("-n", host, "route", "add", "10.80.0.0/24", "dev", "d0");
            assertThatThrownBy(cut::heal).isInstanceOf(NetlinkException.class);
            Ip.ok("-n", host, "route", "del", "10.80.0.0/24", "dev", "d0");
        }
        assertThat(route()).isEqualTo("10.80.0.0/24 via 10.79.0.2 dev eth0");
        assertThat(cut.isActive()).isFalse();
    }

    /**
     * A fault of a schedule whose heal on the timeline threw stays in force for the run: listed as
     * active, and healed by the run's close, which reports the failure.
     */
    @Test
    void aScheduledFaultWhoseHealThrewIsHealedByTheRunsClose() throws Exception {
        FaultSchedule s = FaultSchedule.over(List.of("h"), List.of())
                .kinds(ScheduledFault.Kind.CUT)
                .length(Duration.ofMillis(300))
                .faults(1)
                .faultLength(Duration.ofMillis(100), Duration.ofMillis(150))
                .fault("cut, then a route of the user's", h -> {
                    LinkCut cut = LinkCut.cut(h.get("h"), "eth0");
                    Ip.ok("-n", host, "route", "add", "10.80.0.0/24", "dev", "d0");
                    return cut;
                })
                .plan(1);
        ScheduleRun run = s.start(Map.of("h", hostNs));
        try {
            assertThat(run.awaitEnd(Duration.ofSeconds(10))).isTrue();
            assertThat(run.log()).anyMatch(l -> l.contains("FAILED"));
            assertThat(run.active()).as("in force after its heal threw").hasSize(1);
            Ip.ok("-n", host, "route", "del", "10.80.0.0/24", "dev", "d0");
        } finally {
            assertThatThrownBy(run::close).isInstanceOf(NetlinkException.class);
        }
        assertThat(route()).isEqualTo("10.80.0.0/24 via 10.79.0.2 dev eth0");
        assertThat(run.active()).isEmpty();
    }
}
