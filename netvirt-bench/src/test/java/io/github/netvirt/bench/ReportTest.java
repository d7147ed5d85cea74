package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bound and ratio lines the workloads print next to their targets. */
class ReportTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Report report = new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPairedTargetPrintsItsPerRoundRatiosAndJudgesTheirMedian() {
        Stats netvirt = new Stats();
        Stats floor = new Stats();
        // round 2 slow for both: the ratio of the medians, 6 over 5, would miss
        double[][] rounds = {{6.0, 5.0}, {9.0, 8.0}, {5.5, 5.0}};
        for (double[] round : rounds) {
            netvirt.add(round[0]);
            floor.add(round[1]);
        }
        report.pairedTarget("seed-up netvirt/floor", netvirt, floor, "<=", 1.15);
        assertThat(out().lines())
                .containsExactly(
                        "# per-round seed-up netvirt/floor: median=1.125 min=1.100 max=1.200 rounds=3"
                                + " (1.200 1.125 1.100); the median's 75% interval (all 3 rounds) 1.100..1.200"
                                + " holds the limit 1.150: not decided by this run",
                        "# target seed-up netvirt/floor: 1.125 <= 1.150 -> met");
    }

    @Test
    void aBoundAboveAnUpperLimitSaysTheTargetIsOutOfReach() {
        report.bound("cold-first-apply floor-cold/netvirt", 3.5, "<=", 3, "the floor over the warm apply");
        assertThat(out())
                .isEqualTo("# bound cold-first-apply floor-cold/netvirt: 3.500 (the floor over the warm apply;"
                        + " target <= 3.000 out of reach on this machine even if netvirt added nothing)\n");
    }

    @Test
    void aBoundWithinTheLimitSaysTheTargetIsReachable() {
        report.bound("tap-64 raw-jna/c", 0.93, ">=", 0.90, "jna");
        report.bound("cold-process ip-batch/jvm-empty", 1.0, ">", 1, "empty");
        assertThat(out().lines())
                .containsExactly(
                        "# bound tap-64 raw-jna/c: 0.9300 (jna; target >= 0.9000 reachable if netvirt added nothing)",
                        "# bound cold-process ip-batch/jvm-empty: 1.000 (empty; target > 1.000 out of reach on"
                                + " this machine even if netvirt added nothing)");
    }

    @Test
    void aTargetWithoutAFloorSaysNone() {
        report.noBound("star-1000-down go-netlink/netvirt", "every floor took longer");
        assertThat(out()).isEqualTo("# bound star-1000-down go-netlink/netvirt: none (every floor took longer)\n");
    }

    @Test
    void meetsReadsTheThreeRelations() {
        assertThat(Report.meets(3, "<=", 3)).isTrue();
        assertThat(Report.meets(3.01, "<=", 3)).isFalse();
        assertThat(Report.meets(0.95, ">=", 0.95)).isTrue();
        assertThat(Report.meets(1, ">", 1)).isFalse();
        assertThat(Report.meets(1.01, ">", 1)).isTrue();
    }

    @Test
    void ratiosPrintEveryOtherSystemOverTheReferenceAndNoResultLine() {
        Map<String, Stats> by = new LinkedHashMap<>();
        by.put("netvirt-cold", stats(100));
        by.put("ip-batch", stats(25));
        by.put("jvm-empty", stats(50));
        report.ratios("cold-process", by, "ip-batch");
        assertThat(out().lines())
                .containsExactly(
                        "ratio cold-process netvirt-cold/ip-batch=4.000",
                        "ratio cold-process jvm-empty/ip-batch=2.000");
    }

    @Test
    void ratiosWithoutTheReferencePrintNothing() {
        report.ratios("cold-process", Map.of("netvirt-cold", stats(1)), "ip-batch");
        assertThat(out()).isEmpty();
    }

    private static Stats stats(double v) {
        Stats s = new Stats();
        s.add(v);
        return s;
    }
}
