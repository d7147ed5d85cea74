package io.github.netvirt.bench.tap;

import static org.assertj.core.api.Assertions.assertThat;

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
}
