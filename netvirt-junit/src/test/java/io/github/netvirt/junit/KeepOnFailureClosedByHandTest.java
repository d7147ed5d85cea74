package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.faults.ScheduleRun;
import io.github.netvirt.faults.ScheduledFault.Kind;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.ExecResult;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.tap.impair.Impairment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A test under keepOnFailure that closed its network by hand ({@code topology().close()}) and then
 * failed: there is nothing left to keep, and its impaired link and fault schedule are closed all
 * the same. The link's TAP fds would otherwise hold the nameless namespaces alive, and the
 * schedule's timeline would go on.
 */
class KeepOnFailureClosedByHandTest {
    /** Where the inner test puts the peer of a veth end in each host; guarded by the class. */
    static NetNamespace witness;

    static TestNetwork kept;
    static ScheduleRun run;

    @NetvirtTest(keepOnFailure = true)
    @ExtendWith(InnerOnly.class)
    static class ClosedThenFails {
        @Network
        static TestNetwork net = TwoHosts.of("left", "right", "10.8.7");

        @Test
        void closesItsNetworkThenFails() throws Exception {
            kept = net;
            net.impair("left", "10.9.7.1/24", "right", "10.9.7.2/24", Impairment.NONE);
            run = net.schedule(Duration.ofMinutes(10), Kind.CUT);
            for (String host : List.of("left", "right")) {
                // gNleft/gNright here, their peers in the host: both go when the host's namespace ends
                ExecResult r = witness.exec(
                        "ip",
                        "link",
                        "add",
                        "gN" + host,
                        "type",
                        "veth",
                        "peer",
                        "name",
                        "gNpeer",
                        "netns",
                        net.kernelNames().get(host));
                assertThat(r.exitCode()).as(r.stderr()).isZero();
            }
            net.topology().close();
            throw new AssertionError("keep me");
        }
    }

    @Test
    void theImpairedLinkAndTheScheduleEndWithTheTest() throws Exception {
        try (NetNamespace w = NetNamespace.ephemeral();
                NetlinkHandle h = NetlinkHandle.open(w)) {
            TestExecutionSummary s;
            synchronized (KeepOnFailureClosedByHandTest.class) {
                witness = w;
                s = FailureTest.run(ClosedThenFails.class);
            }
            assertThat(s.getFailures())
                    .singleElement()
                    .satisfies(f -> assertThat(f.getException().getMessage()).startsWith("keep me"));
            try {
                for (String end : List.of("gNleft", "gNright")) {
                    // the kernel ends a namespace some time after its last reference goes
                    h.awaitLinkGone(end, Duration.ofSeconds(60));
                }
                assertThat(run.awaitEnd(Duration.ofSeconds(30)))
                        .as("the fault schedule was stopped")
                        .isTrue();
            } finally {
                try {
                    run.close();
                } catch (RuntimeException faultsOnTheClosedNetwork) {
                    // what the timeline started or healed after topology().close() failed, as it should
                }
            }
            assertThat(kept.removeKept()).as("nothing was kept").isEmpty();
        }
    }
}
