package io.github.netvirt.tap.impair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.netvirt.tap.testing.Verdicts;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImpairerTest {
    static final Impairment MIXED = Impairment.none()
            .withDelay(Duration.ofMillis(10), Duration.ofMillis(4))
            .withLoss(0.1)
            .withDuplicate(0.05)
            .withReorder(0.05);

    @Test
    void oneSeedGivesOneSequence() {
        assertThat(Verdicts.of(42, MIXED, 10_000)).isEqualTo(Verdicts.of(42, MIXED, 10_000));
        assertThat(Verdicts.of(42, MIXED, 10_000)).isNotEqualTo(Verdicts.of(43, MIXED, 10_000));
    }

    @Test
    void frequenciesFollowTheProbabilities() {
        List<Verdict> v = Verdicts.of(7, MIXED, 100_000);
        long lost = v.stream().filter(Verdict::dropped).count();
        long dup = v.stream().filter(Verdict::duplicated).count();
        long reo = v.stream().filter(Verdict::reordered).count();
        assertThat(lost).isBetween(9_000L, 11_000L);
        assertThat(dup).isBetween(4_000L, 5_500L); // 5 % of the 90 % not lost
        assertThat(reo).isBetween(4_000L, 5_500L);
        assertThat(v)
                .filteredOn(x -> !x.dropped())
                .allMatch(x -> x.delayNanos() >= 6_000_000 && x.delayNanos() <= 14_000_000);
        assertThat(v.get(99_999).frame()).isEqualTo(99_999);
    }

    @Test
    void reorderIsTheChanceOfBeingHeldBackForAFrameThatArrivesWhenNoneIsHeld() {
        for (double p : new double[] {0.1, 0.5, 1.0}) {
            List<Verdict> v = Verdicts.of(11, Impairment.none().withLoss(0.2).withReorder(p), 100_000);
            // the relay's hold: a reordered frame waits for the next frame that is not lost
            boolean holding = false;
            long arrivedWhenNoneHeld = 0;
            long heldBack = 0;
            for (Verdict x : v) {
                if (x.dropped()) {
                    assertThat(x.reordered()).isFalse();
                    continue;
                }
                if (holding) {
                    assertThat(x.reordered())
                            .as("p=%s: frame %d lets the held one go, it is not held itself", p, x.frame())
                            .isFalse();
                    holding = false;
                    continue;
                }
                arrivedWhenNoneHeld++;
                if (x.reordered()) {
                    heldBack++;
                    holding = true;
                }
            }
            assertThat(heldBack / (double) arrivedWhenNoneHeld).as("p=%s", p).isCloseTo(p, within(0.01));
        }
    }

    @Test
    void aHeldFrameLetGoWithoutSuccessorLetsTheNextOneBeHeld() {
        Impairer impairer = new Impairer(3, Impairment.none().withReorder(1.0));
        assertThat(impairer.next().reordered()).isTrue();
        impairer.release(); // its hold timed out
        assertThat(impairer.next().reordered()).isTrue();
        assertThat(impairer.next().reordered()).as("lets the held one go").isFalse();
        assertThat(impairer.next().reordered()).isTrue();
    }

    @Test
    void changingOneProbabilityDoesNotShiftTheOthers() {
        List<Verdict> lossy = Verdicts.of(9, Impairment.none().withLoss(0.3).withDuplicate(0.2), 1000);
        List<Verdict> clean = Verdicts.of(9, Impairment.none().withDuplicate(0.2), 1000);
        for (int k = 0; k < 1000; k++) {
            if (!lossy.get(k).dropped()) {
                assertThat(lossy.get(k).duplicated()).isEqualTo(clean.get(k).duplicated());
            }
        }
    }

    @Test
    void invalidImpairmentsAreRejected() {
        assertThatThrownBy(() -> Impairment.none().withLoss(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss");
        assertThatThrownBy(() -> Impairment.none().withDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delay");
        assertThatThrownBy(() -> Impairment.none().withReorder(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reorder");
    }

    @Test
    void splitMixMatchesTheReferenceOutput() {
        // first outputs of SplitMix64 seeded with 0 (reference C implementation by S. Vigna)
        SplitMix64 r = new SplitMix64(0);
        assertThat(r.nextLong()).isEqualTo(0xe220a8397b1dcdafL);
        assertThat(r.nextLong()).isEqualTo(0x6e789e6aa1b965f4L);
    }
}
