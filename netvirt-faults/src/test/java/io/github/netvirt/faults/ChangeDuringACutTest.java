package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.ApplyException;
import io.github.netvirt.core.InvalidTopologyException;
import io.github.netvirt.core.Topology;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A change that adds an IPv6 address or a route to a device while a {@link LinkCut} on another
 * thread sets that device down: once the change has returned, what it added is the topology's, and
 * the cut's heal leaves it in the kernel, as a fresh apply of the topology's description has it. The
 * cut notes what the device has, then sets it down, which deletes the device's routes and IPv6
 * addresses: what a change adds between the two is neither noted nor kept. And one that removes an
 * address while the cut heals: the heal gives back what its note holds, so the change's removal
 * and its drop from the note go together, before or after the heal.
 */
@RequiresRoot
class ChangeDuringACutTest {
    /** Changes per case: most routes are refused while the cut holds the device down. */
    private static final int CHANGES = 400;

    private final String p = TestNames.unique("iPcc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    @Test
    void anIpv6AddressAddedWhileACutSetsTheDeviceDownIsThereAfterTheHeal() throws Exception {
        List<String> missing = race(
                i -> "fd77:" + Integer.toHexString(i) + "::1/64",
                (t, a) -> t.change().ns("a").dev("c0").addr(a).apply(),
                (a, kernel) -> kernel.contains("inet6 " + a + " "),
                "-6",
                "addr",
                "show",
                "dev",
                "c0");
        assertThat(missing)
                .as("addresses changes added, gone after the cuts healed")
                .isEmpty();
    }

    @Test
    void aRouteAddedWhileACutSetsTheDeviceDownIsThereAfterTheHeal() throws Exception {
        List<String> missing = race(
                i -> "10.77." + i + ".0/24",
                (t, r) -> t.change().ns("a").route(r, "10.20.0.2", "c0").apply(),
                (r, kernel) -> kernel.contains(r + " via 10.20.0.2 dev c0"),
                "route",
                "show");
        assertThat(missing)
                .as("routes changes added, gone after the cuts healed")
                .isEmpty();
    }

    @Test
    void anIpv6AddressRemovedWhileACutHealsStaysRemoved() throws Exception {
        try (Topology t = topology()) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread cutter = new Thread(() -> {
                while (!stop.get()) {
                    LinkCut.cut(t.namespace("a"), "c0").heal();
                }
            });
            cutter.start();
            try {
                for (int i = 1; i <= CHANGES / 2; i++) {
                    String a = "fd78:" + Integer.toHexString(i) + "::1/64";
                    t.change().ns("a").dev("c0").addr(a).apply();
                    t.change().ns("a").dev("c0").removeAddr(a).apply();
                }
            } finally {
                stop.set(true);
                cutter.join();
            }
            assertThat(Ip.ok("-n", p + "a", "-6", "addr", "show", "dev", "c0"))
                    .as("addresses changes removed, given back by a heal")
                    .doesNotContain("fd78:");
        }
    }

    interface Change {
        void add(Topology t, String what);
    }

    interface Seen {
        boolean in(String what, String kernel);
    }

    interface Name {
        String of(int i);
    }

    private Topology topology() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("c0", "b", "d0")
                .addr("10.20.0.1/30")
                .addr("fd20::1/64")
                .ns("b")
                .dev("d0")
                .addr("10.20.0.2/30")
                .addr("fd20::2/64")
                .apply();
    }

    /**
     * Applies {@link #CHANGES} changes adding {@code name(i)} while another thread cuts and heals
     * {@code a/c0}; returns those applied that the kernel does not show after the last heal.
     */
    private List<String> race(Name name, Change change, Seen seen, String... show) throws Exception {
        try (Topology t = topology()) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> cutFailures = new ArrayList<>();
            Thread cutter = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        LinkCut.cut(t.namespace("a"), "c0").heal();
                    }
                } catch (Throwable e) {
                    cutFailures.add(e);
                }
            });
            cutter.start();
            List<String> applied = new ArrayList<>();
            try {
                for (int i = 1; i <= CHANGES; i++) {
                    String what = name.of(i);
                    try {
                        change.add(t, what);
                        applied.add(what);
                    } catch (InvalidTopologyException | ApplyException refused) {
                        // a route while the cut holds the device down: refused, or failed and undone
                    }
                }
            } finally {
                stop.set(true);
                cutter.join();
            }
            assertThat(cutFailures).isEmpty();
            String[] cmd = new String[show.length + 2];
            cmd[0] = "-n";
            cmd[1] = p + "a";
            System.arraycopy(show, 0, cmd, 2, show.length);
            String kernel = Ip.ok(cmd);
            List<String> missing = new ArrayList<>();
            for (String a : applied) {
                if (!seen.in(a, kernel)) {
                    missing.add(a);
                }
            }
            return missing;
        }
    }
}
