package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.Json;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.StateDump;
import io.github.netvirt.netns.testing.TestNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Removing IPv4 addresses that share a subnet in a change: the kernel deletes a subnet's secondary
 * addresses with its primary (unless promote_secondaries is set), never the other way round. Read
 * from the outside with {@code ip -j}: net0's device net0-bridge has 10.0.1.1/24 (the seed's, the
 * primary) and 10.0.1.7/24 (added by a change, a secondary).
 */
@RequiresRoot
class SecondaryAddressTest {
    private final String p = TestNames.unique("fc") + "-";

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    /** The seed, with 10.0.1.7/24 added to net0-bridge by a change. */
    private Topology seedWithSecondary() {
        Topology t = Seeds.seed().prefix(p).apply();
        try {
            t.change().ns("net0").dev("net0-bridge").addr("10.0.1.7/24").apply();
            // promote_secondaries is copied from the root namespace's: off here whatever the machine's
            promoteSecondaries(t, "all", false);
            promoteSecondaries(t, "net0-bridge", false);
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
        assertThat(ipv4("net0-bridge")).containsExactly("10.0.1.1/24", "10.0.1.7/24 secondary");
        return t;
    }

    private static void promoteSecondaries(Topology t, String conf, boolean on) {
        Sysctls.of(t.namespace("net0")).set("ipv4/conf/" + conf + "/promote_secondaries", on ? "1" : "0");
    }

    /** The IPv4 addresses of {@code dev} in net0 in the kernel's order, e.g. {@code 10.0.1.7/24 secondary}. */
    private List<String> ipv4(String dev) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> l : Json.array(Ip.ok("-j", "-n", p + "net0", "-4", "addr", "show", "dev", dev))) {
            for (Object o : (List<?>) l.get("addr_info")) {
                Map<?, ?> a = (Map<?, ?>) o;
                out.add(a.get("local") + "/" + a.get("prefixlen")
                        + (Boolean.TRUE.equals(a.get("secondary")) ? " secondary" : ""));
            }
        }
        return out;
    }

    /** The IPv4 routes of net0's main table through {@code dev}, e.g. {@code 10.0.1.0/24 src 10.0.1.1}. */
    private List<String> routes(String dev) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : Json.array(Ip.ok("-j", "-n", p + "net0", "-4", "route", "show", "dev", dev))) {
            out.add(r.get("dst") + " src " + r.get("prefsrc"));
        }
        return out;
    }

    private static List<String> described(Topology t) {
        return t.spec().namespace("net0").device("net0-bridge").orElseThrow().addresses().stream()
                .map(Object::toString)
                .toList();
    }

    @Test
    void removingASecondaryDeletesOnlyItAndThePrimaryAndItsRouteStay() throws Exception {
        try (Topology t = seedWithSecondary()) {
            t.change().ns("net0").dev("net0-bridge").removeAddr("10.0.1.7/24").apply();
            assertThat(ipv4("net0-bridge")).containsExactly("10.0.1.1/24");
            assertThat(routes("net0-bridge")).containsExactly("10.0.1.0/24 src 10.0.1.1");
            assertThat(described(t)).containsExactly("10.0.1.1/24");
            assertThat(Tcp.echo(t.namespace("net1"), t.namespace("net0"), "10.0.1.1", 7161, "primary"))
                    .isEqualTo("primary");

            // and back: added again, it is a secondary again
            t.change().ns("net0").dev("net0-bridge").addr("10.0.1.7/24").apply();
            assertThat(ipv4("net0-bridge")).containsExactly("10.0.1.1/24", "10.0.1.7/24 secondary");
        }
    }

    @Test
    void aSecondaryIsReplacedByAnotherInOneChange() {
        try (Topology t = seedWithSecondary()) {
            t.change()
                    .ns("net0")
                    .dev("net0-bridge")
                    .removeAddr("10.0.1.7/24")
                    .addr("10.0.1.8/24")
                    .apply();
            assertThat(ipv4("net0-bridge")).containsExactly("10.0.1.1/24", "10.0.1.8/24 secondary");
            assertThat(routes("net0-bridge")).containsExactly("10.0.1.0/24 src 10.0.1.1");
            assertThat(described(t)).containsExactly("10.0.1.1/24", "10.0.1.8/24");
        }
    }

    @Test
    void thePrimaryIsRefusedWhileItsSecondaryStays() {
        try (Topology t = seedWithSecondary()) {
            String before = StateDump.of(p);
            assertThatThrownBy(() -> t.change()
                            .ns("net0")
                            .dev("net0-bridge")
                            .removeAddr("10.0.1.1/24")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining("removeAddr(\"10.0.1.1/24\"): 10.0.1.7/24 stays on the same subnet")
                    .hasMessageContaining("promote_secondaries");
            assertThat(StateDump.of(p)).isEqualTo(before);
            assertThat(ipv4("net0-bridge")).containsExactly("10.0.1.1/24", "10.0.1.7/24 secondary");
            assertThat(described(t)).containsExactly("10.0.1.1/24", "10.0.1.7/24");

            // the primary with all its secondaries goes
            t.change()
                    .ns("net0")
                    .dev("net0-bridge")
                    .removeAddr("10.0.1.1/24")
                    .removeAddr("10.0.1.7/24")
                    .apply();
            assertThat(ipv4("net0-bridge")).isEmpty();
            assertThat(routes("net0-bridge")).isEmpty();
            assertThat(described(t)).isEmpty();
        }
    }

    @Test
    void thePrimaryIsRefusedWhileAnAddressNotTheTopologysIsItsSecondary() {
        try (Topology t = seedWithSecondary()) {
            t.change().ns("net0").dev("net0-bridge").removeAddr("10.0.1.7/24").apply();
            Ip.ok("-n", p + "net0", "addr", "add", "10.0.1.9/24", "dev", "net0-bridge");
            assertThatThrownBy(() -> t.change()
                            .ns("net0")
                            .dev("net0-bridge")
                            .removeAddr("10.0.1.1/24")
                            .apply())
                    .isInstanceOf(InvalidTopologyException.class)
                    .hasMessageContaining(
                            "removeAddr(\"10.0.1.1/24\"): 10.0.1.9/24 (not the topology's) stays on the same subnet");
            assertThat(ipv4("net0-bridge")).containsExactly("10.0.1.1/24", "10.0.1.9/24 secondary");
        }
    }

    @Test
    void withPromoteSecondariesThePrimaryGoesAndItsSecondaryTakesItsPlace() {
        try (Topology t = seedWithSecondary()) {
            promoteSecondaries(t, "net0-bridge", true);
            t.change().ns("net0").dev("net0-bridge").removeAddr("10.0.1.1/24").apply();
            assertThat(ipv4("net0-bridge")).containsExactly("10.0.1.7/24");
            assertThat(routes("net0-bridge")).containsExactly("10.0.1.0/24 src 10.0.1.7");
            assertThat(described(t)).containsExactly("10.0.1.7/24");
        }
    }

    @Test
    void aFailedChangeLeavesTheSecondaryAsItWas() {
        try (Topology t = seedWithSecondary()) {
            String before = StateDump.of(p);
            TopologySpec spec = t.spec();
            TopologyBuilder change = t.change()
                    .ns("net0")
                    .dev("net0-bridge")
                    .removeAddr("10.0.1.7/24")
                    .addr("10.0.2.1/24")
                    .route("10.7.0.0/16", "10.0.1.2", "net0-bridge");
            int steps = change.plan().steps().size();
            assertThat(change.plan().steps().get(steps - 1).action()).isEqualTo(Action.ADDR_DEL);
            // a failure in the additions, and one standing for a failure before the deletion
            for (int failAt : new int[] {0, steps - 2, steps - 1}) {
                assertThatThrownBy(() -> change.apply(new ApplyOptions(failAt))).isInstanceOf(ApplyException.class);
                assertThat(ipv4("net0-bridge")).containsExactly("10.0.1.1/24", "10.0.1.7/24 secondary");
                assertThat(StateDump.of(p)).isEqualTo(before);
                assertThat(t.spec()).isEqualTo(spec);
            }
        }
    }
}
