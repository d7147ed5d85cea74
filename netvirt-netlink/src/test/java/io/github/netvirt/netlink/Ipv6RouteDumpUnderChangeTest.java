package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

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
 * An IPv6 route dump of many parts while another socket adds and deletes routes: the kernel never flags
 * it NLM_F_DUMP_INTR (its walker starts the table again, skipping as many routes as it had sent), so a
 * route that stays the whole time can be left out of the list or listed twice.
 */
@RequiresRoot
class Ipv6RouteDumpUnderChangeTest extends OneNamespace {
    @Test
    void everyRouteThatStaysIsListedOnce() throws Exception {
        String dev = TestNames.unique("nl");
        h.linkAdd(LinkSpec.bridge(dev).up());
        int index = h.linkIndex(dev);
        int n = 1500;
        NetlinkBatch batch = h.batch();
        for (int i = 0; i < n; i++) {
            batch.routeAdd(RouteSpec.to(IpPrefix.parse("fd01:" + Integer.toHexString(i) + "::/64"))
                    .dev(index));
        }
        batch.execute();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (NetlinkHandle w = NetlinkHandle.open(ns)) {
                while (!stop.get()) {
                    NetlinkBatch add = w.batch();
                    NetlinkBatch del = w.batch();
                    for (int i = 1; i <= 20; i++) {
                        RouteSpec r = RouteSpec.to(IpPrefix.parse("fd00:" + Integer.toHexString(i) + "::/64"))
                                .dev(index);
                        add.routeAdd(r);
                        del.routeDel(RouteSpec.to(IpPrefix.parse("fd00:" + Integer.toHexString(i) + "::/64"))
                                .dev(index));
                    }
                    add.execute();
                    del.execute();
                }
            } catch (RuntimeException | Error e) {
                writerFailed.set(e);
            }
        });
        writer.start();
        int dumps = 0;
        String bad = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            while (bad == null && System.nanoTime() < deadline) {
                List<Route> all;
                try {
                    all = h.routeList();
                } catch (NetlinkException e) {
                    if (e.is(io.github.netvirt.netns.sys.Errno.EINTR)) {
                        continue; // said so: not silent
                    }
                    throw e;
                }
                dumps++;
                Map<IpPrefix, Integer> seen = new HashMap<>();
                for (Route r : all) {
                    if (r.destination().toString().startsWith("fd01:")) {
                        seen.merge(r.destination(), 1, Integer::sum);
                    }
                }
                long twice = seen.values().stream().filter(v -> v > 1).count();
                if (seen.size() != n || twice > 0) {
                    bad = "dump " + dumps + ": " + seen.size() + " of " + n + " routes that stay, " + twice + " twice";
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(writerFailed.get()).as("the writer's failure").isNull();
        assertThat(bad).as("a dump cut or doubled without a word").isNull();
    }
}
