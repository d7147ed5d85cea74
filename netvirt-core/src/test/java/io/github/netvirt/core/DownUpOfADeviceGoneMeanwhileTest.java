package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Topology#down} and {@link Topology#up} of a device someone deletes between netvirt's lookup
 * and its request (the race made certain at {@link Topology#afterLookup}): ENODEV naming the device,
 * its ifindex and namespace, and saying it is gone, whichever request met it.
 */
@RequiresRoot
class DownUpOfADeviceGoneMeanwhileTest {
    private final String p = TestNames.unique("hB") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void everyDownAndUpNamesTheDeviceGone() throws Exception {
        try (Topology t = Topology.create()
                .prefix(p)
                .ns("a")
                .veth("e0", "b", "e0")
                .veth("e1", "b", "e1")
                .veth("e2", "b", "e2")
                .veth("e3", "b", "e3")
                .ns("b")
                .apply()) {
            // the first down
            assertGone(t, "e0", () -> t.down("a", "e0"));
            // a second down
            t.down("a", "e1");
            assertGone(t, "e1", () -> t.down("a", "e1"));
            // the up after a down
            t.down("a", "e2");
            assertGone(t, "e2", () -> t.up("a", "e2"));
            // an up without a down
            assertGone(t, "e3", () -> t.up("a", "e3"));
            assertThat(Ip.ok("-n", p + "a", "-o", "link")).doesNotContain("e0").doesNotContain("e3");
        }
        assertThat(Reference.namespaces(p)).isEmpty();
    }

    /** {@code call} on a's {@code dev}, deleted by someone once netvirt has looked it up. */
    private void assertGone(Topology t, String dev, ThrowingCallable call) throws Exception {
        int index = Reference.ifindex(t, "a", dev);
        t.afterLookup = l -> Ip.ok("-n", p + "a", "link", "del", l.name()); // the race, made certain
        try {
            assertThatThrownBy(call)
                    .as(dev)
                    .isInstanceOf(NetlinkException.class)
                    .satisfies(
                            e -> assertThat(((NetlinkException) e).isNoDevice()).isTrue())
                    .hasMessageContaining(": link \"" + dev + "\" (ifindex " + index + ") in ")
                    .hasMessageContaining(p + "a")
                    .hasMessageContaining(" is gone");
        } finally {
            t.afterLookup = l -> {};
        }
    }
}
