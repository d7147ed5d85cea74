package io.github.netvirt.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.core.testing.Topologies;
import io.github.netvirt.faults.ScheduleRun;
import io.github.netvirt.faults.ScheduledFault.Kind;
import io.github.netvirt.netns.testing.Ip;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A test that fails during a fault schedule, run through the JUnit launcher: its message carries
 * the seed and the timeline, and a second run with {@code -Dnetvirt.seed=SEED} plans the same timeline.
 */
class ScheduleOnFailureTest {
    @NetvirtTest
    @ExtendWith(InnerOnly.class)
    static class Chaos {
        @Network
        TestNetwork net = TestNetwork.of(Topologies.twoHosts("web", "db", "10.7.2")
                .ns("cache")
                .veth("eth0", "db", "eth1")
                .addr("10.7.3.1/24"));

        @Test
        void failsAfterTheSchedule() throws Exception {
            try (ScheduleRun run = net.schedule(Duration.ofMillis(400), Kind.CUT)) {
                assertThat(run.awaitEnd(Duration.ofSeconds(10))).isTrue();
            }
            throw new AssertionError("an order was lost during the faults");
        }
    }

    static final Pattern SEED = Pattern.compile("fault schedule, seed (-?\\d+), 0\\.400 s, \\d+ faults?:");

    @Test
    void aFailedTestNamesTheSeedAndTheTimelineAndTheSeedPropertyReplaysIt() {
        TestExecutionSummary s = FailureTest.run(Chaos.class);
        assertThat(s.getFailures()).hasSize(1);
        String message = s.getFailures().get(0).getException().getMessage();
        assertThat(message).startsWith("an order was lost during the faults").contains("network 'net'");
        Matcher m = SEED.matcher(message);
        assertThat(m.find()).as(message).isTrue();
        String seed = m.group(1);
        String timeline = timeline(message);
        assertThat(timeline).contains("  cut ");
        assertThat(message)
                .contains("replay with -Dnetvirt.seed=" + seed)
                .contains("ran:")
                .contains("healed cut ");

        // the same class in a fresh JVM with the seed fixed: the same timeline
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Ip.Result r = Ip.exec(List.of(
                java,
                "-Dnetvirt.seed=" + seed,
                "-cp",
                System.getProperty("java.class.path"),
                LaunchInner.class.getName(),
                Chaos.class.getName()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("failed=1");
        assertThat(timeline(r.out())).isEqualTo(timeline);
    }

    /** From "fault schedule, seed" to the line before "ran:". */
    private static String timeline(String text) {
        int from = text.indexOf("fault schedule, seed");
        int to = text.indexOf("\n  ran:", from);
        assertThat(from).as(text).isNotNegative();
        assertThat(to).as(text).isPositive();
        return text.substring(from, to);
    }
}
