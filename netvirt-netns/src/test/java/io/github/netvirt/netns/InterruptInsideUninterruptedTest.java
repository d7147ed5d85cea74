package io.github.netvirt.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.internal.Uninterrupted;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inside an {@link Uninterrupted} region (teardown, rollback, heal) an interrupt that arrives while
 * the work runs is held back as one pending at entry is: the hand-offs to switching threads and the
 * calls into a namespace go on, and the interrupt is set again when the region ends. Outside one, an
 * interrupt still withdraws a hand-off that has not begun.
 */
@RequiresRoot
class InterruptInsideUninterruptedTest {

    private static long here() {
        return Switcher.inode(Path.of("/proc/thread-self/ns/net"));
    }

    @Test
    void handOffsInsideARegionGoOnThroughAnInterruptThatArrivesThere() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            long[] seen = new long[4];
            boolean flag;
            try {
                Uninterrupted.run(() -> {
                    try {
                        Thread.currentThread().interrupt();
                        seen[0] = ns.inside(InterruptInsideUninterruptedTest::here);
                        Thread.currentThread().interrupt();
                        seen[1] = ns.call(InterruptInsideUninterruptedTest::here);
                        Thread.currentThread().interrupt();
                        ns.run(() -> seen[2] = here());
                        Thread.currentThread().interrupt();
                        try (NetNamespace again = ns.reopen()) {
                            seen[3] = NetNamespace.insideEach(List.of(ns, again), n -> here())
                                    .get(1);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
            } finally {
                flag = Thread.interrupted();
            }
            assertThat(seen).containsOnly(ns.inode());
            assertThat(flag).as("the interrupt, set again at the region's end").isTrue();
        }
    }

    @Test
    void outsideARegionAnInterruptStillWithdrawsTheHandOff() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> ns.inside(InterruptInsideUninterruptedTest::here))
                        .isInstanceOf(InterruptedException.class);
            } finally {
                Thread.interrupted();
            }
        }
    }
}
