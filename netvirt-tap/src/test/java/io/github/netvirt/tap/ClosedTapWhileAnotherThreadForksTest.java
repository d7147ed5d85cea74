package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Forking;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A device closed while another thread of the JVM starts processes: a child between its fork and its
 * exec holds every descriptor of the JVM, the device's too (close-on-exec closes it only at the exec),
 * and the kernel deletes a device when the last reference to its file goes. close() returns once a
 * device that goes with its fd is gone, so that its name can be taken again at once.
 */
@RequiresRoot
class ClosedTapWhileAnotherThreadForksTest {
    private static final int ROUNDS = 100;

    private Forking forking;

    @BeforeEach
    void fork() {
        forking = Forking.start();
    }

    @AfterEach
    void stopForking() throws InterruptedException {
        forking.close();
    }

    @Test
    void aClosedTapIsGoneWhenCloseReturns() {
        try (NetNamespace ns = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(ns)) {
            List<String> listed = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                TapDevice tap = TapDevice.tap("t" + i).open(ns);
                tap.close();
                if (h.linkGet("t" + i).isPresent()) {
                    listed.add("t" + i);
                }
            }
            assertThat(listed).as("closed taps the kernel still listed").isEmpty();
        }
    }

    @Test
    void aTapsNameCanBeTakenAgainWhenCloseReturns() {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                TapDevice tap = TapDevice.tap("tap0").createOnly(true).open(ns);
                tap.close();
                try {
                    TapDevice.tap("tap0").createOnly(true).open(ns).close();
                } catch (RuntimeException e) {
                    failed.add(e.getMessage());
                }
            }
            assertThat(failed).as("opens that could not make tap0 again").isEmpty();
        }
    }
}
