package io.github.netvirt.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.bench.Main;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The tap workload end to end, two short rounds: rotated order, per-round ratios, targets on their medians. */
class TapBenchTest {
    @Test
    @RequiresRoot
    void twoRoundsRotateTheOrderAndTheTargetsUseMediansOfPerRoundRatios() throws Exception {
        Assumptions.assumeTrue(CTapPeer.compiler().isPresent(), "SKIPPED: no C compiler for peers/tap-peer.c");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            Main.run(
                    new String[] {"tap", "--runs", "2", "--seconds", "0.1", "--systems", "netvirt-stream,raw-jna,c"},
                    ps);
        }
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        for (String key : new String[] {"64", "64-paced", "1500", "1500-paced"}) {
            for (String system : new String[] {"netvirt-stream", "raw-jna", "c"}) {
                assertThat(lines)
                        .anyMatch(l -> l.startsWith("result tap-" + key + " " + system + " ") && l.endsWith(" runs=2"));
            }
            assertThat(lines)
                    .anyMatch(l -> l.startsWith("# per-round tap-" + key + " netvirt-stream/c: median=")
                            && l.contains(" rounds=2 ("));
            assertThat(lines).anyMatch(l -> l.startsWith("# per-round tap-" + key + " netvirt-stream/raw-jna: "));
            assertThat(lines).anyMatch(l -> l.startsWith("# target tap-" + key + " netvirt-stream/c: "));
            // the targeted ratio says whether two rounds decide it (every round: 50%); CPU time has no target
            assertThat(lines)
                    .anyMatch(l -> l.startsWith("# per-round tap-" + key + " netvirt-stream/c: ")
                            && l.contains("; the median's 50% interval (all 2 rounds) "));
            assertThat(lines)
                    .anyMatch(l -> l.startsWith("# per-round tap-" + key + "-cpu netvirt-stream/c: ")
                            && !l.contains("interval"));
        }
        // the allocation target judges netvirt's paths only (WorstAllocationTest); raw-jna's is reported
        assertThat(lines)
                .anyMatch(l -> l.startsWith("# target tap allocation per frame, worst thread of netvirt's paths "));
        assertThat(lines).anyMatch(l -> l.startsWith("# alloc tap-64 raw-jna: writer_bytes_per_frame="));
        // round 1 starts with netvirt-stream, round 2 with the next system (raw-jna)
        List<String> firstOfRound = lines.stream()
                .filter(l -> l.matches("# run [12] (tap-64 |c: result size=64 ).*"))
                .collect(Collectors.toList());
        assertThat(firstOfRound.stream().filter(l -> l.startsWith("# run 1 ")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).startsWith("# run 1 tap-64 netvirt-stream:"));
        assertThat(firstOfRound.stream().filter(l -> l.startsWith("# run 2 ")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).startsWith("# run 2 tap-64 raw-jna:"));
        // the C peer's counters came through: its wait shares are known
        assertThat(lines).anyMatch(l -> l.startsWith("# run 1 c: coupling size=1500 paced=no "));
        assertThat(lines).anyMatch(l -> l.matches("# tap-1500 c median_Mbit/s=\\S+ cpu_wait_share median=.*"));
    }
}
