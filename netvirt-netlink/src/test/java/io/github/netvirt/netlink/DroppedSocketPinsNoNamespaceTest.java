package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netlink.codec.Nl;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.OpenFds;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A socket holds the network namespace it was made in: a handle, channel or subscription dropped
 * without close() must not keep its namespace alive, unseen, once its owner closed the namespace's
 * handle. Each closes its socket when it is collected.
 */
@RequiresRoot
class DroppedSocketPinsNoNamespaceTest {

    @Test
    void droppedHandlesChannelsAndSubscriptionsLeaveNoSocketInTheirNamespace() throws Exception {
        long cookie;
        List<WeakReference<Object>> dropped;
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            cookie = ns.cookie();
            dropped = openUseAndDrop(ns);
            assertThat(OpenFds.socketsIn(cookie)).hasSizeGreaterThanOrEqualTo(3);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (dropped.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assumeTrue(dropped.stream().allMatch(r -> r.get() == null), "not all were collected within 30 s");
        }
        // the Cleaner's thread closes them soon after the collection
        assertThat(OpenFds.awaitNoSocketsIn(cookie, 10))
                .as("fds of sockets in the namespace of dropped handles, after its handle was closed")
                .isEmpty();
    }

    private static List<WeakReference<Object>> openUseAndDrop(NetNamespace ns) {
        NetlinkHandle h = NetlinkHandle.open(ns);
        h.linkSetUp("lo");
        NetlinkChannel channel = NetlinkChannel.open(ns, Nl.NETLINK_NETFILTER, Duration.ofSeconds(5));
        h.close();
        NetlinkHandle dropped = NetlinkHandle.open(ns);
        dropped.linkList();
        // its handle holds it weakly, and would close it: both dropped
        EventSubscription events = dropped.subscribe(EventGroup.LINK);
        return List.of(new WeakReference<>(dropped), new WeakReference<>(events), new WeakReference<>(channel));
    }
}
