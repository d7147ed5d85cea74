package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Forking;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tap a change removes while another thread of the JVM starts processes: a child between its fork
 * and its exec holds every descriptor of the JVM, the tap's too (close-on-exec closes it only at the
 * exec), and the kernel deletes a tap when the last reference to its file goes. The change returns
 * once the device is gone, so that the next change can take its name, as the README's two changes
 * that make a tap again with other options do.
 */
@RequiresRoot
class TapRemovedWhileAnotherThreadForksTest {
    private static final int ROUNDS = 100;

    private final String p = TestNames.unique("iPtf") + "-";
    private Forking forking;

    @BeforeEach
    void fork() {
        forking = Forking.start();
    }

    @AfterEach
    void stopForking() throws InterruptedException {
        forking.close();
        Reference.deleteNamespaces(p);
    }

    @Test
    void aTapAChangeRemovedIsGoneWhenTheChangeReturns() {
        try (Topology t = Topology.create().prefix(p).ns("a").bridge("br").apply()) {
            List<String> listed = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                t.change().ns("a").tap("t" + i).apply();
                t.change().ns("a").removeDevice("t" + i).apply();
                if (t.netlink("a").linkGet("t" + i).isPresent()) {
                    listed.add("t" + i);
                }
            }
            assertThat(listed).as("removed taps the kernel still listed").isEmpty();
        }
    }

    @Test
    void theNextChangeTakesTheNameOfATapTheChangeBeforeRemoved() {
        try (Topology t = Topology.create().prefix(p).ns("a").tap("tap0").apply()) {
            List<String> failed = new ArrayList<>();
            for (int i = 0; i < ROUNDS; i++) {
                t.change().ns("a").removeDevice("tap0").apply();
                try {
                    t.change().ns("a").tap("tap0").apply();
                } catch (ApplyException e) {
                    failed.add(e.getMessage().lines().findFirst().orElse(""));
                    t.change().ns("a").tap("tap0").apply(); // the fork has exec'd by now: go on
                }
            }
            assertThat(failed).as("changes that could not make tap0 again").isEmpty();
        }
    }
}
