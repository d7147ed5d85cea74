package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Devices in the root namespace never leak, and only they go: they carry the topology's device
 * group from their creating request, and rollback, close and cleanup find them by it.
 */
@RequiresRoot
class RootDeviceTest {

    /** A bridge, a vxlan and a macvlan on the bridge, all in the root namespace, all down. */
    static TopologyBuilder rootOnly(String host) {
        return Topology.create()
                .ephemeral()
                .root()
                .bridge(host + "b")
                .down()
                // a VNI of its own: the kernel refuses a second vxlan with the same VNI and port in a namespace
                .vxlan(host + "x", ThreadLocalRandom.current().nextInt(100_000, 16_000_000))
                .remote("10.213.9.2")
                .down()
                .macvlan(host + "m", host + "b")
                .down();
    }

    private static String host() {
        return TestNames.unique("rd").replace("-", "");
    }

    @Test
    void devicesWhoseAcksWereLostAreRolledBack() {
        // reproducer: the old rollback deleted only the root devices whose ack it had seen
        String host = host();
        assertThatThrownBy(() -> rootOnly(host).apply(new ApplyOptions(-1, ApplyOptions.Fault.ROOT_ACKS_LOST)))
                .isInstanceOf(ApplyException.class)
                .hasRootCauseMessage("acks lost (test hook)");
        assertThat(Reference.rootLinks(host)).isEmpty();
    }

    @Test
    void aKillBetweenCreationAndAnythingElseIsCleanedUp() throws Exception {
        // reproducer: the old record had only "link-intent" lines for them, and cleanup left them
        String host = host();
        Path runDir = Files.createTempDirectory("netvirt-run");
        try {
            Process p = ChildJvm.of(runDir, RootHaltChild.class, host).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue())
                    .as(new String(p.getInputStream().readAllBytes()))
                    .isEqualTo(137);
            assertThat(Reference.rootLinks(host)).containsExactlyInAnyOrder(host + "b", host + "x", host + "m");
            Ip.ok("link", "add", host + "f", "type", "bridge"); // someone else's, named like ours
            CleanupReport r = Cleaner.cleanup(new RunDir(runDir));
            // the macvlan goes with its lower device, the bridge: it may be deleted first or with it
            assertThat(r.removed())
                    .anyMatch(l -> l.startsWith("link " + host + "b (root namespace, group "))
                    .anyMatch(l -> l.startsWith("link " + host + "x (root namespace, group "))
                    .noneMatch(l -> l.contains(host + "f"));
            assertThat(Reference.rootLinks(host)).containsExactly(host + "f");
            assertThat(IdentityCleanupTest.records(runDir)).isEmpty();
        } finally {
            for (String s : List.of("b", "x", "m", "f")) {
                Ip.run("link", "del", host + s);
            }
            IdentityCleanupTest.deleteRunDir(runDir);
        }
    }

    @Test
    void closeLeavesARootDeviceNameTakenOverBySomeoneElse() {
        // reproducer: the old close() deleted root devices by name
        String host = host();
        try {
            Topology t = rootOnly(host).apply();
            assertThat(t.link(Topology.ROOT, host + "b").group()).isNotZero();
            Ip.ok("link", "del", host + "m");
            Ip.ok("link", "add", host + "m", "type", "bridge");
            t.close();
            assertThat(Reference.rootLinks(host)).containsExactly(host + "m");
        } finally {
            Ip.run("link", "del", host + "m");
        }
    }
}
