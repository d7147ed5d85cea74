package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.DeleteNetnsAfter;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Topology#removalCommand()}: run by a shell once the topology is detached, it removes what
 * {@link Topology#removeDetached(String)} would, devices made in the root namespace and the record
 * included (netvirt-junit's keepOnFailure prints it); where a shell cannot (a process started detached
 * still runs), there is none.
 */
@RequiresRoot
class RemovalCommandTest {
    private final String p = TestNames.unique("hJ") + "-";
    private final String bridge = TestNames.unique("hJb");
    private final String rootEnd = TestNames.unique("hJv");

    @RegisterExtension
    final DeleteNetnsAfter cleanup = DeleteNetnsAfter.prefixed(p);

    private TopologyBuilder withRootDevices() {
        return Topology.create()
                .prefix(p)
                .ns("a")
                .veth("eth0", Topology.ROOT, rootEnd)
                .addr("10.3.0.1/24")
                .ns("b")
                .root()
                .bridge(bridge)
                .ports(rootEnd);
    }

    @Test
    void theCommandRemovesRootDevicesNamespacesAndTheRecord() throws Exception {
        Topology t = withRootDevices().apply();
        try {
            String cmd = t.removalCommand().orElseThrow();
            assertThat(cmd)
                    .contains("ip link del " + bridge, "ip link del " + rootEnd)
                    .contains("ip netns del " + p + "a", "ip netns del " + p + "b")
                    .contains("rm -f ");
            t.detach();

            Ip.Result r = Ip.exec(List.of("sh", "-c", cmd));

            assertThat(r.exitCode()).as(cmd + ": " + r.err()).isZero();
            assertThat(Ip.run("link", "show", "dev", bridge).exitCode())
                    .as(bridge)
                    .isNotZero();
            assertThat(Ip.run("link", "show", "dev", rootEnd).exitCode())
                    .as(rootEnd)
                    .isNotZero();
            assertThat(NetNamespace.exists(p + "a")).isFalse();
            assertThat(NetNamespace.exists(p + "b")).isFalse();
            assertThat(Topology.removeDetached(p)).as("left for removeDetached").isEmpty();
            assertThat(Topology.cleanup().leftAlone()).noneMatch(l -> l.contains(p));
        } finally {
            if (t.isOpen()) {
                t.close();
            }
            Topology.removeDetached(p);
            Ip.run("link", "del", bridge);
            Ip.run("link", "del", rootEnd);
        }
    }

    @Test
    void noCommandWhileAProcessStartedDetachedRuns() throws Exception {
        Topology t = withRootDevices().apply();
        Process sleep = null;
        try {
            sleep = t.namespace("a")
                    .startDetached(new ProcessBuilder("sleep", "300").redirectOutput(ProcessBuilder.Redirect.DISCARD));
            assertThat(t.removalCommand()).isEmpty();
        } finally {
            t.close();
            if (sleep != null) {
                sleep.destroyForcibly().waitFor();
            }
        }
        assertThat(Ip.run("link", "show", "dev", bridge).exitCode()).as(bridge).isNotZero();
    }
}
