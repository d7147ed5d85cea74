package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundRatiosTest {
    @Test
    void theMedianIsOfPerRoundRatiosNotARatioOfMedians() {
        // the machine's load moves both systems of a round together: round 2 is slow for both
        List<Map<String, Double>> rounds =
                List.of(Map.of("a", 100.0, "c", 100.0), Map.of("a", 45.0, "c", 50.0), Map.of("a", 300.0, "c", 200.0));
        RoundRatios r = RoundRatios.of(rounds, "a", "c");
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.stats().median()).isEqualTo(1.0); // ratios 1.0, 0.9, 1.5
        assertThat(r.stats().min()).isEqualTo(0.9);
        assertThat(r.stats().max()).isEqualTo(1.5);
        assertThat(r.describe()).isEqualTo("median=1.000 min=0.9000 max=1.500 rounds=3 (1.000 0.9000 1.500)");
    }

    @Test
    void roundsWithoutBothSystemsOrWithAZeroReferenceAreLeftOut() {
        List<Map<String, Double>> rounds =
                List.of(Map.of("a", 100.0), Map.of("a", 10.0, "c", 0.0), Map.of("a", 80.0, "c", 100.0));
        RoundRatios r = RoundRatios.of(rounds, "a", "c");
        assertThat(r.count()).isEqualTo(1);
        assertThat(r.stats().median()).isEqualTo(0.8);
    }

    @Test
    void twoSystemsOfOneHarnessRunArePairedRoundByRoundOverTheRoundsBothWereMeasuredIn() {
        // netvirt in-process in all 4 rounds, a whole-process peer in the first 3 only
        Stats netvirt = stats(10, 20, 10, 40);
        Stats peer = stats(12, 18, 13);
        RoundRatios r = RoundRatios.of(peer, netvirt);
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.describe()).isEqualTo("median=1.200 min=0.9000 max=1.300 rounds=3 (1.200 0.9000 1.300)");
        // the ratio of the medians (13 over 15) says the peer was the faster
        assertThat(peer.median() / netvirt.median()).isLessThan(1);
    }

    @Test
    void aZeroReferenceSampleLeavesItsRoundOut() {
        RoundRatios r = RoundRatios.of(stats(5, 6, 7), stats(10, 0, 14));
        assertThat(r.count()).isEqualTo(2);
        assertThat(r.median()).isEqualTo(0.5);
    }

    private static Stats stats(double... samples) {
        Stats s = new Stats();
        for (double v : samples) {
            s.add(v);
        }
        return s;
    }

    @Test
    void aTargetIsDecidedOnlyWhenTheMediansIntervalLiesOnOneSideOfItsLimit() {
        // seed-up netvirt/floor, run 2026-12-05c: 15 rounds, median 1.304 against the limit 1.3
        double[] perRound = {
            1.128, 1.782, 1.648, 0.9304, 1.279, 1.311, 1.173, 1.304, 1.101, 1.939, 1.245, 2.392, 1.538, 1.199, 1.794
        };
        Stats floor = new Stats();
        for (int i = 0; i < perRound.length; i++) {
            floor.add(1);
        }
        RoundRatios r = RoundRatios.of(stats(perRound), floor);
        assertThat(r.describe("<=", 1.3))
                .endsWith("; the median's 96% interval (the 4th to the 12th smallest of 15) 1.173..1.782 holds the"
                        + " limit 1.300: not decided by this run");
        assertThat(r.describe("<=", 1.8))
                .endsWith("1.173..1.782 lies on one side of the limit 1.800: decided by this run");
        assertThat(r.describe(">", 1.1))
                .endsWith("1.173..1.782 lies on one side of the limit 1.100: decided by this run");
    }

    @Test
    void roundsOfSeveralJvmsArePairedJvmByJvmAndTheJvmIsTheUnitOfTheMedian() {
        // three JVMs; the second's peer was measured in its first round only
        Stats netvirt = stats(10, 10, 10);
        netvirt.endGroup();
        for (double v : new double[] {10, 10}) {
            netvirt.add(v);
        }
        netvirt.endGroup();
        for (double v : new double[] {10, 10, 10}) {
            netvirt.add(v);
        }
        netvirt.endGroup();
        Stats peer = stats(11, 12, 13);
        peer.endGroup();
        peer.add(20);
        peer.endGroup();
        for (double v : new double[] {15, 16, 30}) {
            peer.add(v);
        }
        peer.endGroup();
        RoundRatios r = RoundRatios.of(peer, netvirt);
        assertThat(r.jvms()).isEqualTo(3);
        assertThat(r.count()).isEqualTo(7); // the second JVM's second round has no peer sample
        // the JVMs' medians 1.2, 2.0 and 1.6: their median, not the 7 rounds' (1.5)
        assertThat(r.median()).isEqualTo(1.6);
        assertThat(r.stats().median()).isEqualTo(1.5);
        assertThat(r.describe())
                .isEqualTo("median=1.600 min=1.100 max=3.000 rounds=7 in 3 JVMs, each JVM's median"
                        + " (1.200 2.000 1.600)");
        // three medians hold the median with 75% at best: the interval is all of them, and decides nothing
        assertThat(r.describe(">=", 1.1))
                .endsWith("; the median's 75% interval (all 3 JVMs' medians) 1.200..2.000 lies on one side of the"
                        + " limit 1.100: too few JVMs to decide");
    }

    @Test
    void nineJvmsDecideATargetByTheSecondToTheEighthOfTheirMedians() {
        Stats netvirt = new Stats();
        Stats floor = new Stats();
        double[] medians = {1.42, 1.31, 1.50, 1.38, 1.45, 1.29, 1.47, 1.40, 1.52};
        for (double m : medians) {
            for (int i = 0; i < 5; i++) {
                netvirt.add(m + (i - 2) * 0.1);
                floor.add(1);
            }
            netvirt.endGroup();
            floor.endGroup();
        }
        RoundRatios r = RoundRatios.of(netvirt, floor);
        assertThat(r.median()).isCloseTo(1.42, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.describe("<=", 1.3))
                .endsWith("; the median's 96% interval (the 2nd to the 8th smallest of 9 JVMs' medians)"
                        + " 1.310..1.500 lies on one side of the limit 1.300: decided by this run");
    }

    @Test
    void samplesOfDifferentJvmCountsAreNotPaired() {
        Stats twoJvms = stats(1, 2);
        twoJvms.endGroup();
        twoJvms.add(3);
        twoJvms.endGroup();
        assertThatThrownBy(() -> RoundRatios.of(twoJvms, stats(1, 2, 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("samples of 2 and of 1 JVMs cannot be paired");
    }
}
