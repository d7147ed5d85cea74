package io.github.netvirt.junit.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.Topology;
import io.github.netvirt.junit.NetvirtTest;
import io.github.netvirt.junit.Network;
import io.github.netvirt.junit.TestNetwork;
import io.github.netvirt.netns.testing.Ip;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * keepOnFailure prints how to remove a kept network ("remove with: ..."): for a network with devices
 * in the root namespace (a bridge there, a veth's end on it), that command removes those devices and
 * the network's record under /run/netvirt too, not only its namespaces (the bridge stayed, and the
 * record, which {@code Topology.cleanup()} leaves alone for good as a detached topology's).
 */
@org.junit.jupiter.api.parallel.Isolated("checks this JVM's records")
class KeptNetworkShellRemovalTest {
    static final String TAG = Long.toString(ProcessHandle.current().pid(), 36);
    static final String BRIDGE = "hJb" + TAG;
    static final String ROOT_VETH = "hJv" + TAG;
    static final Map<String, TestNetwork> seen = new ConcurrentHashMap<>();

    /** keepOnFailure with devices in the root namespace: a bridge, and a veth's end on it. */
    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(AuditOnly.class)
    static class KeptWithRootDevices {
        @Network
        TestNetwork net = TestNetwork.of(Topology.create()
                .prefix("hJ-")
                .ns("a")
                .veth("eth0", Topology.ROOT, ROOT_VETH)
                .addr("10.2.0.1/24")
                .root()
                .bridge(BRIDGE)
                .ports(ROOT_VETH));

        @Test
        void fails() {
            seen.put("kept", net);
            throw new AssertionError("fails with root devices");
        }
    }

    @Test
    void thePrintedRemovalRemovesTheWholeKeptNetwork() throws Exception {
        // the first run in a JVM starts what lives as long as the JVM (the reaper, the root namespace's
        // handle, JNA's library, on JDK 25 a socket): the second is the one counted
        keepAndRemove();
        new java.security.SecureRandom().nextLong(); // the JDK keeps /dev/random and /dev/urandom open
        Leftovers before = Leftovers.now();
        keepAndRemove();
        before.awaitNoneLeft("the kept network, removed", 30);
    }

    private static void keepAndRemove() throws Exception {
        seen.clear();
        Launch l = Launch.run(false, KeptWithRootDevices.class);
        TestNetwork n = seen.get("kept");
        try {
            assertThat(l.get("KeptWithRootDevices/fails()").thrown()).hasMessageStartingWith("fails with root devices");
            String report = l.reports.stream()
                    .filter(r -> r.startsWith("netvirt=netvirt: kept network 'net'"))
                    .findFirst()
                    .orElseThrow(() ->
                            new AssertionError("no kept report in " + l.reports + "; outcomes " + l.outcomes.values()));
            String removal = report.lines()
                    .filter(line -> line.startsWith("  remove with: "))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no removal command in " + report))
                    .substring("  remove with: ".length());
            assertThat(Leftovers.records()).as("the kept network's record").isNotEmpty();
            // as a user pastes it into a shell
            Ip.Result r = Ip.exec(List.of("sh", "-c", removal));
            assertThat(r.exitCode()).as(removal + ": " + r.err()).isZero();
            assertThat(Ip.run("link", "show", "dev", BRIDGE).exitCode())
                    .as("the root bridge " + BRIDGE + " after `" + removal + "`")
                    .isNotZero();
            assertThat(Ip.run("link", "show", "dev", ROOT_VETH).exitCode())
                    .as("the root veth end " + ROOT_VETH + " after `" + removal + "`")
                    .isNotZero();
            assertThat(Leftovers.records())
                    .as("this JVM's records after `" + removal + "`")
                    .isEmpty();
            assertThat(n.removeKept()).as("what the removal left").isEmpty();
        } finally {
            if (n != null) {
                n.removeKept();
            }
            Ip.run("link", "del", BRIDGE);
            Ip.run("link", "del", ROOT_VETH);
        }
    }
}
