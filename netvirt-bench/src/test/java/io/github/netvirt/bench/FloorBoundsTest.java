package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bound lines of the seed and star targets, from medians of the committed runs (results/2026-12-02,
 * star-100's of results/2026-12-02c): which floor stands in netvirt's place, when none does, and for
 * which programs an "out of reach" holds.
 */
class FloorBoundsTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Report report = new Report(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    private final Map<String, Stats[]> seed = new LinkedHashMap<>();

    FloorBoundsTest() {
        seed.put("netvirt", system(9.086, 1.273));
        seed.put("floor", system(3.888, 0.7666));
        seed.put("floor-lo", system(4.510, 0.6658));
        seed.put("seed-recipe", system(121.6, 10.408));
        seed.put("ip-batch", system(17.776, 4.003));
        seed.put("go-netlink", system(4.380, 0.5300));
    }

    /** star-1000's medians of the committed run: floor-lo took longer than netvirt in up and down. */
    private static Map<String, Stats[]> star1000() {
        Map<String, Stats[]> r = new LinkedHashMap<>();
        r.put("netvirt", system(2932.1, 555.0));
        r.put("floor", system(2422.0, 1013.4));
        r.put("floor-lo", system(3188.4, 1135.2));
        r.put("go-netlink", system(6389.6, 452.9));
        return r;
    }

    /**
     * The seed with the two-thread floor beside the others: floor-lo2's up faster than floor-lo's
     * (its namespaces on two CPUs), its down slower (the same down, another round's noise).
     */
    private Map<String, Stats[]> seedWithTwoThreads() {
        Map<String, Stats[]> r = new LinkedHashMap<>(seed);
        r.put("floor-lo2", system(3.608, 0.7012));
        return r;
    }

    /** star-1000 with a two-thread floor that also took longer than netvirt in up and down. */
    private static Map<String, Stats[]> star1000WithTwoThreads() {
        Map<String, Stats[]> r = star1000();
        r.put("floor-lo2", system(2990.0, 1120.0));
        return r;
    }

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPeerTargetsBoundPutsFloorLoInNetvirtsPlace() {
        new FloorBounds(report, seed, "netvirt", 3).peer("seed", 0, "seed-recipe", ">=", 50);
        assertThat(out())
                .isEqualTo("# bound seed-up seed-recipe/netvirt: 26.962 (seed-recipe/floor-lo: the same ratio with"
                        + " floor-lo, the bare syscalls doing what netvirt does (lo up in each namespace), in netvirt's"
                        + " place; target >= 50.000 out of reach for a program that makes its namespaces on one"
                        + " thread, as the floor in netvirt's place does (netvirt splits them over two))\n");
    }

    @Test
    void upAndTotalAreOutOfReachOnlyForOneThreadDownForAnyProgram() {
        FloorBounds b = new FloorBounds(report, seed, "netvirt", 3);
        b.peer("seed", 0, "ip-batch", ">=", 5); // 17.776 / 4.510 = 3.941
        b.peer("seed", 1, "ip-batch", ">=", 7); // 4.003 / 0.6658 = 6.012
        b.peer("seed", 2, "ip-batch", ">=", 5); // 4.208
        assertThat(out().lines())
                .hasSize(3)
                .satisfiesExactly(
                        up -> assertThat(up).endsWith("; target >= 5.000 out of reach " + Report.ONE_THREAD + ")"),
                        down -> assertThat(down)
                                .endsWith("; target >= 7.000 out of reach on this machine even if netvirt added"
                                        + " nothing)"),
                        total -> assertThat(total)
                                .endsWith("; target >= 5.000 out of reach " + Report.ONE_THREAD + ")"));
        assertThat(Report.ONE_THREAD)
                .isEqualTo("for a program that makes its namespaces on one thread, as the floor in netvirt's place"
                        + " does (netvirt splits them over two)");
    }

    @Test
    void aDownTargetsBoundUsesTheFloorsDown() {
        new FloorBounds(report, seed, "netvirt", 3).peer("seed", 1, "ip-batch", ">=", 5);
        assertThat(out())
                .startsWith("# bound seed-down ip-batch/netvirt: 6.012 (ip-batch/floor-lo: ")
                .endsWith("; target >= 5.000 reachable if netvirt added nothing)\n");
    }

    @Test
    void aTotalTargetsBoundUsesTheFloorsTotal() {
        new FloorBounds(report, seed, "netvirt", 3).peer("seed", 2, "ip-batch", ">=", 5);
        // (17.776 + 4.003) / (4.510 + 0.6658)
        assertThat(out()).startsWith("# bound seed-total ip-batch/netvirt: 4.208 (ip-batch/floor-lo: ");
    }

    @Test
    void theGoPeersBoundSaysWhatTheGoPeerDoesAndDoesNot() {
        new FloorBounds(report, seed, "netvirt", 3).peer("seed", 0, "go-netlink", ">=", 1);
        assertThat(out())
                .startsWith("# bound seed-up go-netlink/netvirt: 0.9712 (go-netlink/floor-lo: the same ratio with"
                        + " floor-lo")
                .contains("; " + FloorBounds.GO + "; target >= 1.000 out of reach " + Report.ONE_THREAD);
        assertThat(FloorBounds.GO)
                .contains("does not bring lo up")
                .contains("NewNamed")
                .contains("broadcast address");
    }

    @Test
    void whenFloorLoTookLongerThanNetvirtTheBareFloorStandsInItsPlace() {
        new FloorBounds(report, star1000(), "netvirt", 1001).peer("star-1000", 0, "go-netlink", ">", 1);
        assertThat(out())
                .startsWith("# bound star-1000-up go-netlink/netvirt: 2.638 (go-netlink/floor: the same ratio with"
                        + " floor, the bare syscalls without even lo up, in netvirt's place (floor-lo took longer than"
                        + " netvirt here); ")
                .endsWith("; target > 1.000 reachable if netvirt added nothing)\n");
    }

    @Test
    void whenEveryFloorTookLongerThanNetvirtThereIsNoBound() {
        new FloorBounds(report, star1000(), "netvirt", 1001).peer("star-1000", 1, "go-netlink", ">", 1);
        assertThat(out())
                .isEqualTo("# bound star-1000-down go-netlink/netvirt: none (every floor measured in this run took"
                        + " longer than netvirt's 555.0 ms for down (floor-lo 1135.2 ms, floor 1013.4 ms): none is a"
                        + " floor for this target)\n");
    }

    @Test
    void withoutTheFloorsOrThePeerNothingIsPrinted() {
        Map<String, Stats[]> r = new LinkedHashMap<>();
        r.put("netvirt", system(9, 1));
        r.put("ip-batch", system(18, 4));
        new FloorBounds(report, r, "netvirt", 3).peer("seed", 0, "ip-batch", ">=", 5);
        new FloorBounds(report, seed, "netvirt", 3).peer("seed", 0, "iproute2-exec", ">", 1);
        new FloorBounds(report, seed, null, 3).peer("seed", 0, "ip-batch", ">=", 5);
        assertThat(out()).isEmpty();
    }

    @Test
    void netvirtOverTheFloorKeepsItsWording() {
        new FloorBounds(report, seed, "netvirt", 3).overFloor("seed", 1.3);
        assertThat(out())
                .isEqualTo("# bound seed-up netvirt/floor: 1.160 (floor-lo/floor: the floor bringing lo up in each"
                        + " namespace, as netvirt does and the peers do not; target <= 1.300 reachable if netvirt"
                        + " added nothing)\n");
    }

    @Test
    void aBoundIsTheMedianOfPerRoundRatiosAsItsTargetIs() {
        // round 2 slow for everyone: floor-lo/floor per round 1.100, 1.050, 1.190; the medians' ratio 5.0/4.2 = 1.190
        Map<String, Stats[]> r = new LinkedHashMap<>();
        r.put("netvirt", rounds(5.0, 9.0, 5.5));
        r.put("floor", rounds(4.0, 8.0, 4.2));
        r.put("floor-lo", rounds(4.4, 8.4, 5.0));
        new FloorBounds(report, r, "netvirt", 3).overFloor("seed", 1.15);
        assertThat(out())
                .isEqualTo("# bound seed-up netvirt/floor: 1.100 (" + FloorBounds.LO_UP + "; target <= 1.150"
                        + " reachable if netvirt added nothing)\n");
    }

    /** Up times of three rounds (down and total not used). */
    private static Stats[] rounds(double... ups) {
        Stats up = new Stats();
        for (double v : ups) {
            up.add(v);
        }
        return new Stats[] {up, stats(1), stats(1)};
    }

    @Test
    void netvirtOverTheFloorOutOfReachSaysOneThread() {
        new FloorBounds(report, seed, "netvirt", 3).overFloor("seed", 1.1);
        assertThat(out())
                .isEqualTo("# bound seed-up netvirt/floor: 1.160 (" + FloorBounds.LO_UP + "; target <= 1.100 out of"
                        + " reach " + Report.ONE_THREAD + ")\n");
    }

    @Test
    void netvirtOverTheFloorHasNoBoundWhenFloorLoTookLongerThanNetvirt() {
        new FloorBounds(report, star1000(), "netvirt", 1001).overFloor("star-1000", 1.5);
        assertThat(out())
                .isEqualTo("# bound star-1000-up netvirt/floor: none (every floor measured in this run took longer"
                        + " than netvirt's 2932.1 ms for up (floor-lo 3188.4 ms): none is a floor for this target)\n");
    }

    @Test
    void theTwoThreadFloorStandsInNetvirtsPlaceWhenFasterAndTheBoundHoldsForAnyProgram() {
        new FloorBounds(report, seedWithTwoThreads(), "netvirt", 3).peer("seed", 0, "seed-recipe", ">=", 50);
        // 121.6 / 3.608: floor-lo2's up, not floor-lo's 4.510
        assertThat(out())
                .isEqualTo("# bound seed-up seed-recipe/netvirt: 33.703 (seed-recipe/floor-lo2: the same ratio with"
                        + " floor-lo2, the bare syscalls doing what netvirt does (lo up in each namespace, the"
                        + " namespaces made on two threads as netvirt makes them), in netvirt's place (the faster of"
                        + " floor-lo and floor-lo2 here); target >= 50.000 out of reach on this machine even if"
                        + " netvirt added nothing)\n");
    }

    @Test
    void theOneThreadFloorStandsInWhenFasterAndTheBoundStillHoldsForAnyProgram() {
        FloorBounds b = new FloorBounds(report, seedWithTwoThreads(), "netvirt", 3);
        b.peer("seed", 1, "ip-batch", ">=", 7); // down: floor-lo's 0.6658 < floor-lo2's 0.7012
        b.peer("seed", 2, "ip-batch", ">=", 5); // total: floor-lo2's 4.309 < floor-lo's 5.176
        assertThat(out().lines())
                .satisfiesExactly(
                        down -> assertThat(down)
                                .startsWith("# bound seed-down ip-batch/netvirt: 6.012 (ip-batch/floor-lo: the same"
                                        + " ratio with floor-lo, ")
                                .contains("(the faster of floor-lo and floor-lo2 here)")
                                .endsWith("; target >= 7.000 out of reach " + Report.ON_THIS_MACHINE + ")"),
                        total -> assertThat(total)
                                .startsWith("# bound seed-total ip-batch/netvirt: 5.054 (ip-batch/floor-lo2: ")
                                .endsWith("; target >= 5.000 reachable if netvirt added nothing)"));
        new FloorBounds(report, seedWithTwoThreads(), "netvirt", 3).peer("seed", 2, "ip-batch", ">=", 6);
        assertThat(out().lines().toList().get(2))
                .endsWith("; target >= 6.000 out of reach " + Report.ON_THIS_MACHINE + ")")
                .doesNotContain("one thread");
    }

    @Test
    void netvirtOverTheFloorTakesTheFasterOfTheLoFloors() {
        new FloorBounds(report, seedWithTwoThreads(), "netvirt", 3).overFloor("seed", 0.9);
        // 3.608 / 3.888
        assertThat(out())
                .isEqualTo("# bound seed-up netvirt/floor: 0.9280 (" + FloorBounds.LO2_UP + " (the faster of floor-lo"
                        + " and floor-lo2 here); target <= 0.9000 out of reach on this machine even if netvirt added"
                        + " nothing)\n");
        assertThat(FloorBounds.LO2_UP)
                .isEqualTo("floor-lo2/floor: the floor bringing lo up in each namespace and making its namespaces on"
                        + " two threads, as netvirt does");
    }

    @Test
    void theBareFloorInTheirPlaceKeepsTheOneThreadQualification() {
        // both lo floors took longer than netvirt's 2932.1 ms up: floor (one thread, no lo) stands in
        new FloorBounds(report, star1000WithTwoThreads(), "netvirt", 1001).peer("star-1000", 0, "go-netlink", ">", 3);
        assertThat(out())
                .startsWith("# bound star-1000-up go-netlink/netvirt: 2.638 (go-netlink/floor: the same ratio with"
                        + " floor, the bare syscalls without even lo up, in netvirt's place (floor-lo and floor-lo2"
                        + " took longer than netvirt here); ")
                .endsWith("; target > 3.000 out of reach " + Report.ONE_THREAD + ")\n");
    }

    @Test
    void whenEveryFloorTookLongerThanNetvirtTheNoneLineListsTheTwoThreadFloorToo() {
        FloorBounds b = new FloorBounds(report, star1000WithTwoThreads(), "netvirt", 1001);
        b.peer("star-1000", 1, "go-netlink", ">", 1);
        b.overFloor("star-1000", 1.5);
        assertThat(out().lines())
                .containsExactly(
                        "# bound star-1000-down go-netlink/netvirt: none (every floor measured in this run took"
                                + " longer than netvirt's 555.0 ms for down (floor-lo 1135.2 ms, floor-lo2 1120.0 ms,"
                                + " floor 1013.4 ms): none is a floor for this target)",
                        "# bound star-1000-up netvirt/floor: none (every floor measured in this run took longer than"
                                + " netvirt's 2932.1 ms for up (floor-lo 3188.4 ms, floor-lo2 2990.0 ms): none is a"
                                + " floor for this target)");
    }

    @Test
    void theTwoThreadFloorAloneStandsInAndSaysNothingOfFloorLo() {
        Map<String, Stats[]> r = seedWithTwoThreads();
        r.remove("floor-lo");
        new FloorBounds(report, r, "netvirt", 3).peer("seed", 0, "ip-batch", ">=", 5);
        assertThat(out())
                .startsWith("# bound seed-up ip-batch/netvirt: 4.927 (ip-batch/floor-lo2: the same ratio with"
                        + " floor-lo2, ")
                .doesNotContain("the faster of")
                .endsWith("in netvirt's place; target >= 5.000 out of reach " + TWO_THREADS + ")\n");
    }

    @Test
    void theTwoThreadFloorAloneBoundsOnlyProgramsThatMakeTheirNamespacesOnTwoThreads() {
        Map<String, Stats[]> r = seedWithTwoThreads();
        r.remove("floor-lo");
        FloorBounds b = new FloorBounds(report, r, "netvirt", 3);
        b.overFloor("seed", 0.9); // 3.608 / 3.888 = 0.9280
        b.peer("seed", 1, "ip-batch", ">=", 7); // 4.003 / 0.7012 = 5.709: every floor deletes on one thread
        b.peer("seed", 2, "ip-batch", ">=", 6); // 21.779 / 4.309 = 5.054
        assertThat(out().lines())
                .satisfiesExactly(
                        up -> assertThat(up)
                                .isEqualTo("# bound seed-up netvirt/floor: 0.9280 (" + FloorBounds.LO2_UP + "; target"
                                        + " <= 0.9000 out of reach " + TWO_THREADS + ")"),
                        down -> assertThat(down)
                                .endsWith("; target >= 7.000 out of reach " + Report.ON_THIS_MACHINE + ")"),
                        total -> assertThat(total)
                                .startsWith("# bound seed-total ip-batch/netvirt: 5.054 (ip-batch/floor-lo2: ")
                                .endsWith("; target >= 6.000 out of reach " + TWO_THREADS + ")"));
        assertThat(TWO_THREADS)
                .isEqualTo("for a program that makes its namespaces on two threads, as the floor in netvirt's place"
                        + " does (floor-lo, on one thread, was not measured)");
    }

    /** star-100's medians of results/2026-12-02c: 101 namespaces, which netvirt deletes on 6 threads. */
    private static Map<String, Stats[]> star100() {
        Map<String, Stats[]> r = new LinkedHashMap<>();
        r.put("netvirt", system(148.9, 5.802));
        r.put("floor", system(125.2, 3.155));
        r.put("floor-lo", system(157.3, 3.298));
        r.put("floor-lo2", system(129.5, 4.002));
        r.put("ip-batch", system(322.0, 8.151));
        return r;
    }

    private static final String TWO_THREADS = "for a program that makes its namespaces on two threads, as the floor"
            + " in netvirt's place does (floor-lo, on one thread, was not measured)";
    private static final String DELETES_ON_ONE = "for a program that deletes its namespaces on one thread, as the"
            + " floor in netvirt's place does (netvirt deletes them on one thread per 16 (at most 64) from 32 namespaces up)";

    @Test
    void fromThirtyTwoNamespacesUpDownAndTotalHoldOnlyForOneThreadDeletion() {
        FloorBounds b = new FloorBounds(report, star100(), "netvirt", 101);
        b.peer("star-100", 0, "ip-batch", ">", 3); // 322.0 / 129.5 = 2.486: floor-lo2's making bounds any program
        b.peer("star-100", 1, "ip-batch", ">", 3); // 8.151 / 3.298 = 2.471
        b.peer("star-100", 2, "ip-batch", ">", 3); // 330.151 / 133.502 = 2.473
        assertThat(out().lines())
                .satisfiesExactly(
                        up -> assertThat(up).endsWith("; target > 3.000 out of reach " + Report.ON_THIS_MACHINE + ")"),
                        down -> assertThat(down)
                                .startsWith("# bound star-100-down ip-batch/netvirt: 2.471 (ip-batch/floor-lo: ")
                                .endsWith("; target > 3.000 out of reach " + DELETES_ON_ONE + ")"),
                        total -> assertThat(total)
                                .startsWith("# bound star-100-total ip-batch/netvirt: 2.473 (ip-batch/floor-lo2: ")
                                .endsWith("; target > 3.000 out of reach " + DELETES_ON_ONE + ")"));
    }

    @Test
    void theDownBoundHoldsOnThisMachineBelowThirtyTwoNamespacesOnlyForOneThreadDeletionFromThirtyTwo() {
        new FloorBounds(report, star100(), "netvirt", 31).peer("star-30", 1, "ip-batch", ">", 3);
        new FloorBounds(report, star100(), "netvirt", 32).peer("star-31", 1, "ip-batch", ">", 3);
        assertThat(out().lines())
                .satisfiesExactly(
                        thirtyOne -> assertThat(thirtyOne).endsWith(" out of reach " + Report.ON_THIS_MACHINE + ")"),
                        thirtyTwo -> assertThat(thirtyTwo).endsWith(" out of reach " + DELETES_ON_ONE + ")"));
    }

    @Test
    void aTotalFromThirtyTwoNamespacesUpNamesHowTheFloorMakesAndDeletesItsNamespaces() {
        Map<String, Stats[]> onlyLo2 = star100();
        onlyLo2.remove("floor-lo");
        new FloorBounds(report, onlyLo2, "netvirt", 101).peer("star-100", 2, "ip-batch", ">", 3);
        Map<String, Stats[]> onlyLo = star100();
        onlyLo.remove("floor-lo2"); // floor-lo's total 160.6 > netvirt's 154.7: the bare floor stands in
        new FloorBounds(report, onlyLo, "netvirt", 101).peer("star-100", 2, "ip-batch", ">", 3);
        assertThat(out().lines())
                .satisfiesExactly(
                        lo2 -> assertThat(lo2)
                                .startsWith("# bound star-100-total ip-batch/netvirt: 2.473 (ip-batch/floor-lo2: ")
                                .endsWith("; target > 3.000 out of reach for a program that makes its namespaces on"
                                        + " two threads and deletes them on one thread, as the floor in netvirt's place"
                                        + " does (floor-lo, on one thread, was not measured; netvirt deletes them on one"
                                        + " thread per 16 (at most 64) from 32 namespaces up))"),
                        bare -> assertThat(bare)
                                .startsWith("# bound star-100-total ip-batch/netvirt: 2.572 (ip-batch/floor: ")
                                .endsWith("; target > 3.000 out of reach for a program that makes its namespaces on"
                                        + " one thread and deletes them on one thread, as the floor in netvirt's place"
                                        + " does (netvirt splits them over two; netvirt deletes them on one thread per 16"
                                        + " (at most 64) from 32 namespaces up))"));
    }

    @Test
    void theDeletionThresholdAndThreadsAreNetvirtCores() throws Exception {
        Class<?> resources = Class.forName("io.github.netvirt.core.Resources");
        Field perThread = resources.getDeclaredField("DELETES_PER_THREAD");
        Field most = resources.getDeclaredField("MAX_DELETERS");
        perThread.setAccessible(true);
        most.setAccessible(true);
        assertThat(perThread.getInt(null)).isEqualTo(FloorBounds.NETVIRT_DELETES_PER_THREAD);
        assertThat(most.getInt(null)).isEqualTo(FloorBounds.NETVIRT_MAX_DELETERS);
        Method deleters = resources.getDeclaredMethod("deleters", int.class);
        deleters.setAccessible(true);
        int from = FloorBounds.NETVIRT_SPREADS_DELETES_FROM;
        assertThat((int) deleters.invoke(null, from - 1)).isEqualTo(1);
        assertThat((int) deleters.invoke(null, from)).isGreaterThan(1);
    }

    @Test
    void theCreatePhasesBoundIsTheFasterLoFloorsNamespacesWithoutItsSocketsOverTheFloorsBoth() {
        // floor-lo2: namespaces 3.0 + sockets 1.088; floor-lo slower; floor's namespaces and sockets together 3.274
        FloorBounds.createPhase(
                report,
                "seed-up phase X",
                Map.of("NetNamespace.create", 5.376, "NetlinkHandle.open", 0.7517),
                3.274,
                Map.of("namespaces", 3.2, "sockets", 1.0),
                Map.of("namespaces", 3.0, "sockets", 1.088, "veths", 1.038),
                1.2);
        assertThat(out())
                .isEqualTo("# bound seed-up phase X: 0.9163 (floor-lo2's namespaces over floor's namespaces+sockets"
                        + " (the faster of floor-lo and floor-lo2 here): the bare syscalls doing what"
                        + " NetNamespace.create(List) does (file, unshare, bind mount, lo up; two threads each taking"
                        + " the next namespace), without the netlink socket per namespace that both"
                        + " floors open in their sockets phase; target <= 1.200 reachable if netvirt added nothing)\n");
    }

    @Test
    void theCreatePhasesBoundIsFloorLoWhenItIsTheFaster() {
        FloorBounds.createPhase(
                report,
                "seed-up phase X",
                Map.of("NetNamespace.create", 5.0),
                3.0,
                Map.of("namespaces", 3.0),
                Map.of("namespaces", 3.3),
                1.2);
        assertThat(out())
                .startsWith("# bound seed-up phase X: 1.000 (floor-lo's namespaces over floor's namespaces+sockets"
                        + " (the faster of floor-lo and floor-lo2 here): the bare syscalls doing what"
                        + " NetNamespace.create(List) does (file, unshare, bind mount, lo up), without");
    }

    @Test
    void theCreatePhaseIsOutOfReachOnThisMachineWhenTheLoFloorIsBeyondTheLimit() {
        FloorBounds.createPhase(
                report, "X", Map.of("NetNamespace.create", 5.0), 3.0, null, Map.of("namespaces", 4.0), 1.2);
        assertThat(out()).endsWith("; target <= 1.200 out of reach on this machine even if netvirt added nothing)\n");
    }

    @Test
    void theCreatePhaseHasNoBoundWhenTheLoFloorsNamespacesTookLonger() {
        FloorBounds.createPhase(
                report,
                "seed-up phase X",
                Map.of("NetNamespace.create", 3.0),
                2.0,
                Map.of("namespaces", 4.5),
                Map.of("namespaces", 4.0, "sockets", 1.0),
                1.2);
        FloorBounds.createPhase(report, "seed-up phase X", Map.of("NetNamespace.create", 3.0), 2.0, null, null, 1.2);
        FloorBounds.createPhase(
                report,
                "seed-up phase X",
                Map.of("NetNamespace.create", 3.0),
                Double.NaN,
                Map.of("namespaces", 1.0),
                null,
                1.2);
        assertThat(out())
                .isEqualTo("# bound seed-up phase X: none (floor-lo2's namespaces took 4.000 ms, longer than"
                        + " NetNamespace.create's 3.000 ms in this run (the faster of floor-lo and floor-lo2 here):"
                        + " no floor for this target)\n");
    }

    @Test
    void aFloorsGrowthIsANoteNotABound() {
        // netvirt = floor + 1 ms per host: 2.337 / 2.0 = 1.169 meets <= 1.2 while the floor's own growth is 1.337
        Map<String, Map<Integer, Double>> perHost = new LinkedHashMap<>();
        perHost.put("netvirt", sizes(2.0, 2.337));
        perHost.put("floor", sizes(1.0, 1.337));
        FloorBounds.growth(report, "star-up", perHost, Map.of(), 100, 1000);
        assertThat(out())
                .isEqualTo("# per-host cost star-up N=1000 / N=100 floor: 1.337 (the kernel's share of the growth, as"
                        + " the floor makes nothing but the system calls; no bound on netvirt's: a constant per-host"
                        + " cost on top of the floor's lowers a growth above 1)\n")
                .doesNotContain("bound star-up")
                .doesNotContain("out of reach");
    }

    @Test
    void eachFloorsGrowthComesWithItsGrowthByPhase() {
        Map<String, Map<Integer, Double>> perHost = new LinkedHashMap<>();
        perHost.put("netvirt", sizes(2.022, 2.932));
        perHost.put("floor", sizes(1.812, 2.422));
        perHost.put("floor-lo", sizes(1.679, 3.188));
        perHost.put("floor-lo2", sizes(1.2, 2.4));
        perHost.put("ip-batch", sizes(2.0, 6.0));
        Map<String, Map<Integer, Map<String, Double>>> phases = new LinkedHashMap<>();
        Map<Integer, Map<String, Double>> floor = new LinkedHashMap<>();
        floor.put(100, phases(90.0, 12.5, 51.355, 19.162));
        floor.put(1000, phases(800.0, 169.9, 786.7, 613.4));
        phases.put("floor", floor);
        FloorBounds.growth(report, "star-up", perHost, phases, 100, 1000);
        assertThat(out().lines())
                .containsExactly(
                        "# per-host cost star-up N=1000 / N=100 floor-lo: 1.899 (the kernel's share of the growth, as"
                                + " the floor makes nothing but the system calls; no bound on netvirt's: a constant"
                                + " per-host cost on top of the floor's lowers a growth above 1)",
                        "# per-host cost star-up N=1000 / N=100 floor-lo2: 2.000 (the kernel's share of the growth,"
                                + " as the floor makes nothing but the system calls; no bound on netvirt's: a constant"
                                + " per-host cost on top of the floor's lowers a growth above 1)",
                        "# per-host cost star-up N=1000 / N=100 floor: 1.337 (the kernel's share of the growth, as the"
                                + " floor makes nothing but the system calls; no bound on netvirt's: a constant per-host"
                                + " cost on top of the floor's lowers a growth above 1; per host by phase: namespaces 0.8889"
                                + " sockets 1.359 veths 1.532 addresses+up 3.201)");
        assertThat(FloorBounds.isFloor("floor")).isTrue();
        assertThat(FloorBounds.isFloor("floor-lo")).isTrue();
        assertThat(FloorBounds.isFloor("floor-lo2")).isTrue();
        assertThat(FloorBounds.isFloor("netvirt")).isFalse();
    }

    private static Map<Integer, Double> sizes(double at100, double at1000) {
        Map<Integer, Double> m = new LinkedHashMap<>();
        m.put(100, at100);
        m.put(1000, at1000);
        return m;
    }

    private static Map<String, Double> phases(double namespaces, double sockets, double veths, double addresses) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("namespaces", namespaces);
        m.put("sockets", sockets);
        m.put("veths", veths);
        m.put("addresses+up", addresses);
        return m;
    }

    /**
     * The seed with floor-rec2 beside (this session's run, on the commit that added it): the Go peer
     * out of reach for a program keeping netvirt's promises, the floor target still reachable.
     */
    @Test
    void keepingThePromisesPutsFloorRec2InNetvirtsPlace() {
        Map<String, Stats[]> r =
                withRec2(system(5.061, 0.80), system(3.186, 0.60), system(3.961, 0.70), system(3.266, 0.56));
        FloorBounds b = new FloorBounds(report, r, "netvirt", 3);
        b.peerKeepingPromises("seed", 0, "go-netlink", ">=", 1);
        b.overFloorKeepingPromises("seed", 1.3);
        assertThat(out().lines())
                .containsExactly(
                        "# bound seed-up go-netlink/netvirt keeping the promises: 0.8245 (go-netlink/floor-rec2: the"
                                + " same ratio with " + FloorBounds.PROMISES + "; target >= 1.000 out of reach "
                                + FloorBounds.KEEPING + ")",
                        "# bound seed-up netvirt/floor keeping the promises: 1.243 (floor-rec2/floor: "
                                + FloorBounds.PROMISES + "; target <= 1.300 reachable if netvirt added nothing)");
    }

    /** star-100's up in the run that added floor-rec2: it took longer than netvirt, so it bounds nothing. */
    @Test
    void floorRec2SlowerThanNetvirtIsNoFloor() {
        Map<String, Stats[]> r =
                withRec2(system(125.7, 40.0), system(126.9, 300.0), system(141.9, 30.0), system(123.6, 85.0));
        FloorBounds b = new FloorBounds(report, r, "netvirt", 101);
        b.peerKeepingPromises("star-100", 0, "go-netlink", ">", 1);
        b.overFloorKeepingPromises("star-100", 1.2);
        String none = "floor-rec2 took 141.9 ms, longer than netvirt's 125.7 ms for up in this run: no floor for"
                + " this target)";
        assertThat(out().lines())
                .containsExactly(
                        "# bound star-100-up go-netlink/netvirt keeping the promises: none (" + none,
                        "# bound star-100-up netvirt/floor keeping the promises: none (" + none);
    }

    @Test
    void withoutFloorRec2ThereIsNoBoundKeepingThePromises() {
        FloorBounds b = new FloorBounds(report, seed, "netvirt", 3);
        b.peerKeepingPromises("seed", 0, "go-netlink", ">=", 1);
        b.overFloorKeepingPromises("seed", 1.3);
        assertThat(out()).isEmpty();
    }

    /** A run of netvirt, floor, floor-rec2 and the Go peer, in that order. */
    private static Map<String, Stats[]> withRec2(Stats[] netvirt, Stats[] floor, Stats[] rec2, Stats[] go) {
        Map<String, Stats[]> r = new LinkedHashMap<>();
        r.put("netvirt", netvirt);
        r.put("floor", floor);
        r.put("floor-rec2", rec2);
        r.put("go-netlink", go);
        return r;
    }

    /** One run's up and down, and their total, as {@link Harness#measure} gives them. */
    private static Stats[] system(double up, double down) {
        return new Stats[] {stats(up), stats(down), stats(up + down)};
    }

    private static Stats stats(double v) {
        Stats s = new Stats();
        s.add(v);
        return s;
    }
}
