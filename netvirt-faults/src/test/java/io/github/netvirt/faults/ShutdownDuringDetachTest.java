package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README: closing a fault's handle (or the topology that lent it) heals it, "an adopted namespace ...
 * is left as it was found, not partitioned or rate-limited for good", and a detach() closes the
 * handles; netvirt's shutdown hook waits for a close() or a detach() in progress. A System.exit while
 * a detach() ran was not waited for: the JVM halted before the heal, the rate limit stayed on the
 * adopted namespace's own device, and Topology.cleanup() leaves it (the record is detached).
 */
@RequiresRoot
class ShutdownDuringDetachTest {
    @Test
    void anExitWhileATopologyDetachesLeavesTheAdoptedNamespaceAsFound() throws Exception {
        String p = TestNames.unique("iC") + "-";
        String adopted = p + "ad";
        Path runDir = Files.createTempDirectory("netvirt-run");
        Ip.ok("netns", "add", adopted);
        try {
            Ip.ok("-n", adopted, "link", "add", "tg0", "type", "veth", "peer", "name", "tg1");
            Ip.ok("-n", adopted, "link", "set", "tg0", "up");
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (Runtime.version().feature() >= 22) {
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.addAll(List.of(
                    "-Dnetvirt.run.dir=" + runDir,
                    "-cp",
                    System.getProperty("java.class.path"),
                    DetachExitChild.class.getName(),
                    p,
                    adopted));
            Ip.Result r = Ip.exec(cmd);
            assertThat(r.out()).as(r.err()).contains("detaching");
            assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
            assertThat(Ip.exec(List.of("tc", "-n", adopted, "qdisc", "show", "dev", "tg0"))
                            .out())
                    .as("the adopted namespace's own device after the JVM exited during detach()")
                    .doesNotContain("tbf");
        } finally {
            Ip.exec(List.of("ip", "netns", "del", p + "h"));
            Ip.exec(List.of("ip", "netns", "del", adopted));
            if (Files.isDirectory(runDir)) {
                try (Stream<Path> w = Files.walk(runDir)) {
                    for (Path f : w.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }
}
