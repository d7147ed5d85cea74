package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A {@link Topology#up} in an adopted namespace, where DAD runs, waits 1-2 s for the device's IPv6
 * addresses to leave DAD; meanwhile a {@link Topology#down} of another device is not held up by it.
 * The two devices' keys have the same hash ("Aa" and "BB" do), so they share a bin of the map of the
 * downed devices: a wait inside that map's {@code compute} holds the bin's lock.
 */
@RequiresRoot
class UpWaitingForDadHoldsNoOtherDeviceTest {

    private static final String WAITING = "jJAa";
    private static final String OTHER = "jJBB";

    @Test
    void upOfADeviceDeclaredDown() throws Exception {
        String p = TestNames.unique("jJud") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = topology(p, foreign, true)) {
            assertDownNotHeldByUp(t, foreign);
        }
    }

    @Test
    void upAfterADown() throws Exception {
        String p = TestNames.unique("jJud") + "-";
        String foreign = p + "foreign";
        Ip.ok("netns", "add", foreign);
        try (DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);
                Topology t = topology(p, foreign, false)) {
            t.down("c", WAITING);
            assertDownNotHeldByUp(t, foreign);
        }
    }

    private static Topology topology(String p, String foreign, boolean declaredDown) {
        assertThat(new DeviceKey("c", WAITING).hashCode()).isEqualTo(new DeviceKey("c", OTHER).hashCode());
        TopologyBuilder b = Topology.create()
                .prefix(p)
                .adopt("c", foreign)
                .veth(WAITING, "s", "jJa")
                .addr("fd8a:4a4a:1::1/64");
        if (declaredDown) {
            b = b.down();
        }
        return b.veth(OTHER, "s", "jJb")
                .addr("fd8a:4a4a:2::1/64")
                .ns("s")
                .dev("jJa")
                .addr("fd8a:4a4a:1::2/64")
                .dev("jJb")
                .addr("fd8a:4a4a:2::2/64")
                .apply();
    }

    private static void assertDownNotHeldByUp(Topology t, String foreign) throws Exception {
        CompletableFuture<Void> up = CompletableFuture.runAsync(() -> t.up("c", WAITING));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!tentative(foreign) && !up.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(up).as("the up is waiting for DAD").isNotDone();
        assertThat(tentative(foreign)).as("DAD under way").isTrue();

        t.down("c", OTHER);

        // the up returns once DAD is over: while an address is still tentative, it is waiting still
        assertThat(tentative(foreign))
                .as("the down of " + OTHER + " returned while the up of " + WAITING + " waited for DAD")
                .isTrue();
        up.get(10, TimeUnit.SECONDS);
        assertThat(tentative(foreign)).isFalse();
    }

    private static boolean tentative(String foreign) {
        return Ip.ok("-n", foreign, "-6", "addr", "show", "dev", WAITING).contains("tentative");
    }
}
