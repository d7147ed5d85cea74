package io.github.netvirt.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.faults.ScheduledFault.Kind;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Planning a schedule from a seed: pure, no kernel. */
class FaultScheduleTest {
    static final List<String> HOSTS = List.of("web", "db", "cache");
    static final List<String> LINKS = List.of("web/eth0", "db/eth0", "router/r-web");

    static FaultSchedule.Builder builder() {
        return FaultSchedule.over(HOSTS, LINKS).length(Duration.ofSeconds(10)).faults(12);
    }

    @Test
    void oneSeedGivesOneTimeline() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            FaultSchedule a = builder().plan(seed);
            FaultSchedule b = builder().plan(seed);
            assertThat(a).isEqualTo(b);
            assertThat(a.toString()).isEqualTo(b.toString());
            assertThat(a.seed()).isEqualTo(seed);
        }
        assertThat(builder().plan(1).faults()).isNotEqualTo(builder().plan(2).faults());
    }

    @Test
    void aPrintedSeedReplaysTheSameTimelineInLaterVersions() {
        // pinned: a seed printed by a failing run must keep meaning this timeline
        assertThat(plan42()).isEqualTo(GOLDEN_42);
    }

    /** The pinned timeline: two seconds, four faults, seed 42, built-in kinds. */
    private static String plan42() {
        return FaultSchedule.over(HOSTS, LINKS)
                .length(Duration.ofSeconds(2))
                .faults(4)
                .plan(42)
                .toString();
    }

    static final String GOLDEN_42 = """
            fault schedule, seed 42, 2.000 s, 4 faults:
              +0.085 s .. +0.310 s  one-way loss db -> cache
              +1.127 s .. +1.649 s  one-way loss cache -> db
              +1.198 s .. +1.601 s  partition [web] | [db, cache]
              +1.346 s .. +1.856 s  one-way loss web -> db""";

    @Test
    void everyFaultFitsTheScheduleAndItsKindAndTargets() {
        for (long seed = 0; seed < 200; seed++) {
            FaultSchedule s = builder()
                    .faultLength(Duration.ofMillis(100), Duration.ofMillis(900))
                    .plan(seed);
            assertThat(s.faults()).isNotEmpty().isSortedAccordingTo(Comparator.comparing(ScheduledFault::start));
            for (ScheduledFault f : s.faults()) {
                long len = f.end().minus(f.start()).toMillis();
                assertThat(len).isBetween(100L, 900L);
                assertThat(f.start()).isGreaterThanOrEqualTo(Duration.ZERO);
                assertThat(f.end()).isLessThanOrEqualTo(Duration.ofSeconds(10));
                switch (f.kind()) {
                    case CUT -> {
                        assertThat(LINKS).contains(f.from().get(0) + "/" + f.device());
                        assertThat(f.to()).isEmpty();
                    }
                    case PARTITION -> {
                        assertThat(f.from()).isNotEmpty().doesNotContainAnyElementsOf(f.to());
                        assertThat(f.to()).isNotEmpty();
                        assertThat(f.hosts()).containsExactlyInAnyOrderElementsOf(HOSTS);
                    }
                    case ONE_WAY_LOSS -> {
                        assertThat(f.from()).hasSize(1);
                        assertThat(f.to()).hasSize(1).doesNotContainAnyElementsOf(f.from());
                        assertThat(HOSTS).containsAll(f.hosts());
                    }
                }
            }
        }
    }

    @Test
    void cutsOfOneLinkNeverOverlap() {
        for (long seed = 0; seed < 200; seed++) {
            List<ScheduledFault> cuts = FaultSchedule.over(HOSTS, List.of("web/eth0"))
                    .kinds(Kind.CUT)
                    .faults(8)
                    .plan(seed)
                    .faults();
            for (int i = 1; i < cuts.size(); i++) {
                assertThat(cuts.get(i).start())
                        .as("seed %d", seed)
                        .isGreaterThanOrEqualTo(cuts.get(i - 1).end());
            }
        }
    }

    @Test
    void onlyTheKindsAskedForAndThatFitAreDrawn() {
        assertThat(builder().kinds(Kind.PARTITION).plan(3).faults())
                .extracting(ScheduledFault::kind)
                .containsOnly(Kind.PARTITION);
        // one host: no partition or one-way loss fits, cuts do
        assertThat(FaultSchedule.over(List.of("web"), LINKS).plan(3).faults())
                .extracting(ScheduledFault::kind)
                .containsOnly(Kind.CUT);
        assertThatThrownBy(() -> FaultSchedule.over(List.of("web"), List.of()).plan(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a cut needs a link");
    }

    @Test
    void faultsOfTheCallersAreDrawnByNameAndNeverStackWithThemselves() {
        FaultSchedule.Builder b = FaultSchedule.over(HOSTS, List.of())
                .kinds(Kind.CUT)
                .faults(10)
                .fault("refuse db:5432", h -> null)
                .fault("slow web", h -> null);
        FaultSchedule s = b.plan(9);
        assertThat(s).isEqualTo(b.plan(9));
        assertThat(s.faults()).extracting(ScheduledFault::kind).containsOnly(Kind.CUSTOM);
        assertThat(s.faults()).extracting(ScheduledFault::what).contains("refuse db:5432", "slow web");
        assertThat(s.toString()).contains("  refuse db:5432");
        for (String name : List.of("refuse db:5432", "slow web")) {
            List<ScheduledFault> same =
                    s.faults().stream().filter(f -> f.what().equals(name)).toList();
            for (int i = 1; i < same.size(); i++) {
                assertThat(same.get(i).start())
                        .isGreaterThanOrEqualTo(same.get(i - 1).end());
            }
        }
        // adding nothing custom leaves the built-in draws as they were
        assertThat(plan42()).isEqualTo(GOLDEN_42);
        assertThatThrownBy(() -> b.fault("slow web", h -> null)).hasMessageContaining("name of its own");
        assertThatThrownBy(() -> b.kinds(Kind.CUSTOM)).hasMessageContaining("fault(name, start)");
    }

    @Test
    void badOptionsAreRefusedAtOnce() {
        assertThatThrownBy(() -> FaultSchedule.over(HOSTS, List.of("eth0"))).hasMessageContaining("host/device");
        assertThatThrownBy(() -> FaultSchedule.over(List.of("a", "a"), LINKS)).hasMessageContaining("duplicate host a");
        assertThatThrownBy(() -> builder().length(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().faults(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().faultLength(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder()
                        .faultLength(Duration.ofSeconds(1), Duration.ofSeconds(11))
                        .plan(1))
                .hasMessageContaining("do not fit");
        assertThatThrownBy(() -> builder().plan(1).start(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not among");
    }
}
