package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Closing the handle a fault was given heals the fault on the closing thread: also when that thread
 * has its interrupt flag set (a test framework's timeout, a cancelled task closing its resources).
 */
@RequiresRoot
class HealOnInterruptedCloseTest {

    @Test
    void anInterruptedCloseStillHealsTheFaultsOnTheHandle() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            NetNamespace given = ns.reopen();
            Fault limit = new RateLimit(1_000_000, 16 * 1024, Duration.ofMillis(50)).on(given, "lo");
            assertThat(tbfOnLo(ns)).isTrue();
            Thread.currentThread().interrupt();
            RuntimeException thrown = null;
            try {
                given.close();
            } catch (RuntimeException e) {
                thrown = e;
            } finally {
                Thread.interrupted();
            }
            assertThat(thrown).as("close of the given handle").isNull();
            assertThat(limit.isActive()).isFalse();
            assertThat(tbfOnLo(ns))
                    .as("the rate limit's tbf still on lo after its heal")
                    .isFalse();
        }
    }

    private static boolean tbfOnLo(NetNamespace ns) {
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            int lo = h.linkIndex("lo");
            return h.qdiscList().stream()
                    .anyMatch(q -> q.index() == lo && q.kind().equals("tbf"));
        }
    }
}
