package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.ExecResult;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.Ip;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.netns.testing.TestNames;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Processes started in a topology's hosts end with the topology, and with its JVM however it dies. */
@RequiresRoot
class TopologyProcessesTest {

    @Test
    void aSleepStartedInAHostIsDeadAfterClose() throws Exception {
        ProcessHandle sleep;
        try (Topology t = Topology.create().ephemeral().ns("a").ns("b").apply()) {
            Process p = t.namespace("a").start(new ProcessBuilder("sleep", "1000"));
            sleep = p.toHandle();
            assertThat(sleep.isAlive()).isTrue();
        }
        try {
            assertThat(sleep.isAlive()).as("sleep 1000 alive after close()").isFalse();
        } finally {
            sleep.destroyForcibly();
        }
    }

    /**
     * A child JVM applies an ephemeral topology, starts {@code sleep} in a host whose veth has its peer
     * in a witness namespace, and is killed with SIGKILL: the sleep dies, and the namespace goes
     * (the kernel removes the peer from the witness namespace).
     */
    @Test
    void aSleepDiesWithItsKilledJvmAndTheEphemeralNamespaceGoes() throws Exception {
        String witness = TestNames.unique("nvpw");
        String peer = witness.replace("-", "");
        peer = peer.substring(Math.max(0, peer.length() - 12)) + "p";
        Ip.ok("netns", "add", witness);
        Optional<ProcessHandle> sleep = Optional.empty();
        List<String> lines = new ArrayList<>();
        try {
            Process child = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "--enable-native-access=ALL-UNNAMED",
                            "-cp",
                            System.getProperty("java.class.path"),
                            SleeperChild.class.getName(),
                            witness,
                            peer)
                    .redirectErrorStream(true)
                    .start();
            try {
                BufferedReader out =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                String line;
                while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
                    lines.add(line);
                }
                assertThat(line).as("child output %s", lines).startsWith("READY ");
                sleep = ProcessHandle.of(Long.parseLong(line.substring("READY ".length())));
                assertThat(sleep).isPresent();
                assertThat(Ip.ok("-n", witness, "-o", "link")).contains(peer);
                assertThat(Ip.exec(List.of("kill", "-9", Long.toString(child.pid())))
                                .exitCode())
                        .isZero();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
            ProcessHandle s = sleep.get();
            // both come asynchronously: the sleep's death, and the namespace's teardown (the kernel's
            // cleanup queue is shared by the whole host, so it may wait behind other namespaces)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (s.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(s.isAlive())
                    .as("sleep alive 30 s after its JVM was killed")
                    .isFalse();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Ip.run("-n", witness, "link", "show", peer).exitCode() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(Ip.ok("-n", witness, "-o", "link"))
                    .as("the ephemeral namespace is gone")
                    .doesNotContain(peer);
        } finally {
            sleep.ifPresent(ProcessHandle::destroyForcibly);
            Ip.run("netns", "del", witness);
        }
    }

    /** {@code SleeperChild WITNESS PEER}: an ephemeral topology, a veth peer in WITNESS, a sleep in host a. */
    public static final class SleeperChild {
        public static void main(String[] args) throws Exception {
            Topology t = Topology.create().ephemeral().ns("a").apply();
            NetNamespace a = t.namespace("a");
            ExecResult r =
                    a.exec("ip", "link", "add", "nvp0", "type", "veth", "peer", "name", args[1], "netns", args[0]);
            if (!r.ok()) {
                System.out.println("FAILED " + r.stderr());
                System.exit(1);
            }
            Process p = a.start(new ProcessBuilder("sleep", "1000"));
            System.out.println("READY " + p.pid());
            System.out.flush();
            Thread.sleep(60_000);
            System.exit(2); // never reached in the test: it is killed first
        }
    }
}
