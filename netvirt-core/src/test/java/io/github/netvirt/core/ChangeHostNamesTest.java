package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A live change does not take the host names away from code inside the topology while it runs: a
 * lookup there of a host the change leaves alone answers as before it, during it and after it (a
 * miss goes to the system's resolver, which fails and whose failure the JDK caches for the JVM).
 */
@RequiresRoot
class ChangeHostNamesTest {

    @Test
    void aHostAChangeLeavesAloneResolvesInsideWhileTheChangeRuns() throws Exception {
        try (Topology t = Topology.create()
                .prefix(TestNames.unique("chn") + "-")
                .ns("server")
                .veth("eth0", "client", "eth0")
                .addr("10.61.0.1/24")
                .ns("client")
                .dev("eth0")
                .addr("10.61.0.2/24")
                .veth("eth1", "other", "eth0")
                .addr("10.62.0.1/24")
                .ns("other")
                .dev("eth0")
                .addr("10.62.0.2/24")
                .apply()) {
            NetNamespace client = t.namespace("client");
            InetAddress server = InetAddress.getByName("10.61.0.1");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong answered = new AtomicLong();
            AtomicLong missed = new AtomicLong();
            CountDownLatch looking = new CountDownLatch(1);
            Future<?> lookups = client.submit(() -> {
                while (!stop.get()) {
                    if (server.equals(first(HostNames.resolve("server")))) {
                        answered.incrementAndGet();
                    } else {
                        missed.incrementAndGet();
                    }
                    looking.countDown();
                }
                return null;
            });
            looking.await();
            try {
                for (int i = 0; i < 5; i++) {
                    t.change()
                            .ns("other")
                            .dev("eth0")
                            .addr("10.62.0." + (10 + i) + "/24")
                            .apply();
                }
            } finally {
                stop.set(true);
                lookups.get();
            }
            assertThat(missed.get())
                    .as("lookups of server inside client that missed during 5 changes (%d answered)", answered.get())
                    .isZero();
            assertThat(client.call(() -> HostNames.resolve("other")))
                    .as("the change's own host is published after it")
                    .contains(InetAddress.getByName("10.62.0.14"));
        }
    }

    private static InetAddress first(java.util.List<InetAddress> all) {
        return all == null ? null : all.get(0);
    }
}
