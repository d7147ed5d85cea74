package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.sys.Errno;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * routeList listens to the IPv6 route events only while it dumps: a dump during which routes changed
 * is started again and comes back whole; changes between two dumps restart neither.
 */
@RequiresRoot
class Ipv6RouteDumpRestartTest extends OneNamespace {
    private static final int STAYING = 1500;

    @Test
    void aDumpDuringChangesIsStartedAgainAndComplete() throws Exception {
        int index = bridgeWithRoutes();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        // changes with pauses: some dumps are interrupted and restarted, the restarts complete
        Thread writer = new Thread(() -> {
            try (NetlinkHandle w = NetlinkHandle.open(ns)) {
                RouteSpec churn = RouteSpec.to(IpPrefix.parse("fd00:1::/64")).dev(index);
                while (!stop.get()) {
                    w.routeAdd(churn);
                    Thread.sleep(2);
                    w.routeDel(churn);
                    Thread.sleep(2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                writerFailed.set(e);
            }
        });
        writer.start();
        int complete = 0;
        int starved = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while ((h.dumpRetries() == 0 || complete < 5) && System.nanoTime() < deadline) {
                List<Route> all;
                try {
                    all = h.routeList();
                } catch (NetlinkException e) {
                    assertThat(e.is(Errno.EINTR)).as(e.getMessage()).isTrue();
                    starved++;
                    continue;
                }
                assertThat(staying(all))
                        .as("routes that stay, each listed once")
                        .isEqualTo(STAYING);
                complete++;
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(writerFailed.get()).as("the writer's failure").isNull();
        assertThat(h.dumpRetries()).as("dumps started again after route events").isPositive();
        assertThat(complete).as("complete dumps (%d starved)", starved).isGreaterThanOrEqualTo(5);
    }

    @Test
    void changesBetweenDumpsStartNoneAgain() {
        int index = bridgeWithRoutes();
        assertThat(staying(h.routeList())).isEqualTo(STAYING);
        long before = h.dumpRetries();
        try (NetlinkHandle w = NetlinkHandle.open(ns)) {
            NetlinkBatch add = w.batch();
            for (int i = 1; i <= 100; i++) {
                add.routeAdd(RouteSpec.to(IpPrefix.parse("fd00:" + Integer.toHexString(i) + "::/64"))
                        .dev(index));
            }
            add.execute();
        }
        // a socket still in the group would hold 100 events now, and take them for changes during the dump
        assertThat(staying(h.routeList())).isEqualTo(STAYING);
        assertThat(h.dumpRetries()).as("dumps started again").isEqualTo(before);
        assertThat(h.qdiscList()).as("a later request of the handle").isNotEmpty();
    }

    /** A bridge with {@link #STAYING} IPv6 routes through it (many datagrams' worth), and its ifindex. */
    private int bridgeWithRoutes() {
        String dev = TestNames.unique("nl");
        h.linkAdd(LinkSpec.bridge(dev).up());
        int index = h.linkIndex(dev);
        NetlinkBatch batch = h.batch();
        for (int i = 0; i < STAYING; i++) {
            batch.routeAdd(RouteSpec.to(IpPrefix.parse("fd01:" + Integer.toHexString(i) + "::/64"))
                    .dev(index));
        }
        batch.execute();
        return index;
    }

    /** How many of the staying routes {@code all} lists, or -1 when it lists one of them twice. */
    private static int staying(List<Route> all) {
        Map<IpPrefix, Integer> seen = new HashMap<>();
        for (Route r : all) {
            if (r.destination().toString().startsWith("fd01:")) {
                seen.merge(r.destination(), 1, Integer::sum);
            }
        }
        return seen.values().stream().anyMatch(v -> v > 1) ? -1 : seen.size();
    }
}
