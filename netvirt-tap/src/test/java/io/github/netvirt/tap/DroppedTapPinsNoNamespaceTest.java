package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.OpenFds;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/**
 * A device dropped without close() has its tun fd closed by the class's Cleaner, so that the kernel
 * removes it. {@link TapDevice#up()} (as every configuration method and {@link TapDevice#ifindex()})
 * also opened a {@code NetlinkHandle} in the device's namespace: its rtnetlink socket, which holds
 * that namespace, must go too, or an ephemeral namespace closed by its owner lives on for the JVM's
 * life, unseen (no name, no process).
 */
@RequiresRoot
class DroppedTapPinsNoNamespaceTest {
    @Test
    void aDroppedConfiguredTapLeavesNoSocketInItsNamespace() throws Exception {
        NetNamespace ns = NetNamespace.ephemeral();
        long cookie;
        WeakReference<TapDevice> dropped;
        try (ns) {
            cookie = ns.cookie();
            dropped = openConfigureAndDrop(ns);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (dropped.get() != null && System.nanoTime() < deadline) {
                System.gc();
                Thread.sleep(20);
            }
            assumeTrue(dropped.get() == null, "the dropped device was not collected within 30 s");
        }
        // the Cleaner's thread closes what it closes soon after the collection: wait for it, up to 10 s
        assertThat(OpenFds.awaitNoSocketsIn(cookie, 10))
                .as("fds of sockets in the namespace of a dropped tap, after its namespace handle was closed")
                .isEmpty();
    }

    private static WeakReference<TapDevice> openConfigureAndDrop(NetNamespace ns) {
        TapDevice tap = TapDevice.tap("hFd0").open(ns);
        tap.up();
        return new WeakReference<>(tap);
    }
}
