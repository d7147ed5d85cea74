package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.netvirt.faults.ScheduledFault.Kind;
import io.github.netvirt.faults.testing.Lan;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A planned schedule run against three hosts on a bridge: each fault is seen in the kernel while it
 * is in force, and everything is back once the run ends.
 */
@RequiresRoot
class ScheduleRunTest {
    private Lan lan;

    @BeforeEach
    void up() {
        lan = new Lan(3);
    }

    @AfterEach
    void down() {
        lan.close();
    }

    private List<String> links() {
        return lan.names.stream().map(n -> n + "/eth0").toList();
    }

    /** A timeline of {@code count} link cuts over the lan's eth0 links, each lasting {@code min..max}. */
    private FaultSchedule cuts(Duration length, int count, Duration min, Duration max, long seed) {
        return FaultSchedule.over(lan.names, links())
                .kinds(Kind.CUT)
                .length(length)
                .faults(count)
                .faultLength(min, max)
                .plan(seed);
    }

    @Test
    void cutsGoDownWhileInForceAndEverythingIsUpAfterTheRun() throws Exception {
        FaultSchedule s = cuts(Duration.ofMillis(1500), 4, Duration.ofMillis(300), Duration.ofMillis(600), 7);
        assertThat(s.faults()).isNotEmpty();
        Set<ScheduledFault> seenDown = new HashSet<>();
        try (ScheduleRun run = s.start(lan.byName())) {
            while (!run.awaitEnd(Duration.ofMillis(10))) {
                for (ScheduledFault f : run.active()) {
                    boolean up = isUp(lan.byName().get(f.from().get(0)), f.device());
                    // the fault was in force before and after the read: the read saw it
                    if (run.active().contains(f)) {
                        assertThat(up).as("%s in force", f).isFalse();
                        seenDown.add(f);
                    }
                }
            }
            assertThat(run.log()).hasSize(2 * s.faults().size()).allMatch(l -> !l.contains("FAILED"));
        }
        assertThat(seenDown).isNotEmpty();
        for (String n : lan.names) {
            assertThat(isUp(lan.byName().get(n), "eth0")).as(n).isTrue();
        }
    }

    @Test
    void closeHealsWhatIsStillInForce() throws Exception {
        FaultSchedule s = cuts(Duration.ofSeconds(30), 3, Duration.ofSeconds(29), Duration.ofSeconds(30), 11);
        ScheduleRun run = s.start(lan.byName());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (run.active().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        ScheduledFault f = run.active().get(0);
        assertThat(isUp(lan.byName().get(f.from().get(0)), f.device())).isFalse();
        run.close();
        run.close();
        assertThat(run.active()).isEmpty();
        assertThat(run.log()).anyMatch(l -> l.endsWith("healed " + f.what()));
        for (String n : lan.names) {
            assertThat(isUp(lan.byName().get(n), "eth0")).as(n).isTrue();
        }
    }

    @Test
    void aFaultOfTheCallersStartsAndHealsOnTheTimeline() throws Exception {
        String host = lan.names.get(1);
        FaultSchedule s = FaultSchedule.over(lan.names, List.of())
                .kinds(Kind.CUT)
                .length(Duration.ofMillis(2000))
                .faults(1)
                // long enough for a read of the link between two looks at the run on a loaded machine
                .faultLength(Duration.ofMillis(1000), Duration.ofMillis(1500))
                .fault("pull " + host + "'s cable", h -> LinkCut.cut(h.get(host), "eth0"))
                .plan(3);
        assertThat(s.faults())
                .singleElement()
                .satisfies(f -> assertThat(f.kind()).isEqualTo(Kind.CUSTOM));
        boolean seenDown = false;
        try (ScheduleRun run = s.start(lan.byName())) {
            while (!run.awaitEnd(Duration.ofMillis(10))) {
                List<ScheduledFault> before = run.active();
                boolean up = isUp(lan.host(1), "eth0");
                if (!before.isEmpty() && run.active().equals(before)) {
                    assertThat(up).isFalse();
                    seenDown = true;
                }
            }
            assertThat(run.log()).hasSize(2);
            assertThat(run.log().get(0)).endsWith("s  pull " + host + "'s cable");
            assertThat(run.log().get(1)).endsWith("s  healed pull " + host + "'s cable");
        }
        assertThat(seenDown).isTrue();
        assertThat(isUp(lan.host(1), "eth0")).isTrue();
    }

    @Test
    void partitionsAndOneWayLossesCutTrafficWhileInForce() throws Exception {
        assumeThat(filtersWork())
                .as("partitions need nf_tables (through nft on this branch)")
                .isTrue();
        // faults long enough that a probe (150 ms, plus a hand-off that takes longer on a loaded machine)
        // still finds its fault in force when it returns
        FaultSchedule s = FaultSchedule.over(lan.names, List.of())
                .length(Duration.ofMillis(4000))
                .faults(4)
                .faultLength(Duration.ofMillis(1200), Duration.ofMillis(1500))
                .plan(5);
        List<ServerSocket> servers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ServerSocket ss = lan.host(i).serverSocketFactory().createServerSocket(7070);
                servers.add(ss);
                Thread t = new Thread(() -> {
                    while (true) {
                        try {
                            ss.accept().close();
                        } catch (IOException e) {
                            return;
                        }
                    }
                });
                t.setDaemon(true);
                t.start();
            }
            int checked = 0;
            try (ScheduleRun run = s.start(lan.byName())) {
                while (!run.awaitEnd(Duration.ofMillis(10))) {
                    for (ScheduledFault f : run.active()) {
                        // from a host of the first side to one of the second: no answer while in force
                        int a = lan.names.indexOf(f.from().get(0));
                        int b = lan.names.indexOf(f.to().get(0));
                        boolean ok = connects(a, b, 150);
                        if (run.active().contains(f)) {
                            assertThat(ok).as("%s in force", f).isFalse();
                            checked++;
                        }
                    }
                }
                assertThat(run.log()).allMatch(l -> !l.contains("FAILED"));
            }
            assertThat(checked).isPositive();
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    if (a != b) {
                        assertThat(connects(a, b, 2000))
                                .as("%d -> %d after the run", a, b)
                                .isTrue();
                    }
                }
            }
        } finally {
            for (ServerSocket ss : servers) {
                ss.close();
            }
        }
    }

    /** Whether this build can filter packets (a probe partition, healed at once). */
    private boolean filtersWork() {
        try (Partition p = Partition.between(List.of(lan.host(0)), List.of(lan.host(1)))) {
            return true;
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("nft command")) {
                return false;
            }
            throw e;
        }
    }

    private boolean connects(int from, int to, int timeoutMillis) {
        try (Socket s = lan.host(from).socketFactory().createSocket()) {
            s.connect(new InetSocketAddress(Lan.address(to), 7070), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isUp(NetNamespace ns, String dev) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            return h.link(dev).isUp();
        }
    }
}
