package io.github.netvirt.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.OpenFds;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.lang.ref.WeakReference;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subscription outlives the handle that opened it when the handle is dropped without close(): the
 * handle holds its subscriptions weakly, and they must not hold it either, or a handle dropped beside
 * a subscription kept keeps its own socket open (and its buffers) for as long as the subscription
 * lives, where before its Cleaner closed it (helper N, s47).
 */
@RequiresRoot
class KeptSubscriptionKeepsNoHandleTest {

    @Test
    void aHandleDroppedWhileItsSubscriptionIsKeptIsCollectedAndItsSocketClosed() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            long cookie = ns.cookie();
            EventSubscription[] kept = new EventSubscription[1];
            WeakReference<NetlinkHandle> dropped = openSubscribeAndDrop(ns, kept);
            try {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (dropped.get() != null && System.nanoTime() < deadline) {
                    System.gc();
                    Thread.sleep(20);
                }
                assertThat(dropped.get())
                        .as("a handle dropped while the subscription it opened is kept")
                        .isNull();
                long until = System.nanoTime() + 10_000_000_000L;
                List<Integer> sockets = OpenFds.socketsIn(cookie);
                while (sockets.size() > 1 && System.nanoTime() < until) { // the Cleaner's thread closes it soon
                    Thread.sleep(20);
                    sockets = OpenFds.socketsIn(cookie);
                }
                assertThat(sockets)
                        .as("sockets in the namespace: the subscription's alone")
                        .hasSize(1);
            } finally {
                kept[0].close();
            }
        }
    }

    private static WeakReference<NetlinkHandle> openSubscribeAndDrop(NetNamespace ns, EventSubscription[] kept) {
        NetlinkHandle h = NetlinkHandle.open(ns);
        h.linkList();
        kept[0] = h.subscribe(EventGroup.LINK);
        return new WeakReference<>(h);
    }
}
