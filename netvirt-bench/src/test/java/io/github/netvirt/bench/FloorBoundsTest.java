package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bound lines of the seed and star targets, from medians of the committed run
 * (results/2026-12-02): which floor stands in netvirt's place, and when none does.
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

    private String out() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPeerTargetsBoundPutsFloorLoInNetvirtsPlace() {
        new FloorBounds(report, seed, "netvirt").peer("seed", 0, "seed-recipe", ">=", 50);
        assertThat(out())
                .isEqualTo("# bound seed-up seed-recipe/netvirt: 26.962 (seed-recipe/floor-lo: the same ratio with"
                        + " floor-lo, the bare syscalls doing what netvirt does (lo up in each namespace), in netvirt's"
                        + " place; target >= 50.000 out of reach on this machine even if netvirt added nothing)\n");
    }

    @Test
    void aDownTargetsBoundUsesTheFloorsDown() {
        new FloorBounds(report, seed, "netvirt").peer("seed", 1, "ip-batch", ">=", 5);
        assertThat(out())
                .startsWith("# bound seed-down ip-batch/netvirt: 6.012 (ip-batch/floor-lo: ")
                .endsWith("; target >= 5.000 reachable if netvirt added nothing)\n");
    }

    @Test
    void aTotalTargetsBoundUsesTheFloorsTotal() {
        new FloorBounds(report, seed, "netvirt").peer("seed", 2, "ip-batch", ">=", 5);
        // (17.776 + 4.003) / (4.510 + 0.6658)
        assertThat(out()).startsWith("# bound seed-total ip-batch/netvirt: 4.208 (ip-batch/floor-lo: ");
    }

    @Test
    void theGoPeersBoundSaysWhatTheGoPeerDoesAndDoesNot() {
        new FloorBounds(report, seed, "netvirt").peer("seed", 0, "go-netlink", ">=", 1);
        assertThat(out())
                .startsWith("# bound seed-up go-netlink/netvirt: 0.9712 (go-netlink/floor-lo: the same ratio with"
                        + " floor-lo")
                .contains("; " + FloorBounds.GO + "; target >= 1.000 out of reach on this machine");
        assertThat(FloorBounds.GO)
                .contains("does not bring lo up")
                .contains("NewNamed")
                .contains("broadcast address");
    }

    @Test
    void whenFloorLoTookLongerThanNetvirtTheBareFloorStandsInItsPlace() {
        Map<String, Stats[]> r = new LinkedHashMap<>();
        r.put("netvirt", system(2932.1, 555.0));
        r.put("floor", system(2422.0, 1013.4));
        r.put("floor-lo", system(3188.4, 1135.2));
        r.put("go-netlink", system(6389.6, 452.9));
        new FloorBounds(report, r, "netvirt").peer("star-1000", 0, "go-netlink", ">", 1);
        assertThat(out())
                .startsWith("# bound star-1000-up go-netlink/netvirt: 2.638 (go-netlink/floor: the same ratio with"
                        + " floor, the bare syscalls without even lo up, in netvirt's place (floor-lo took longer than"
                        + " netvirt here); ")
                .endsWith("; target > 1.000 reachable if netvirt added nothing)\n");
    }

    @Test
    void whenEveryFloorTookLongerThanNetvirtThereIsNoBound() {
        Map<String, Stats[]> r = new LinkedHashMap<>();
        r.put("netvirt", system(2932.1, 555.0));
        r.put("floor", system(2422.0, 1013.4));
        r.put("floor-lo", system(3188.4, 1135.2));
        r.put("go-netlink", system(6389.6, 452.9));
        new FloorBounds(report, r, "netvirt").peer("star-1000", 1, "go-netlink", ">", 1);
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
        new FloorBounds(report, r, "netvirt").peer("seed", 0, "ip-batch", ">=", 5);
        new FloorBounds(report, seed, "netvirt").peer("seed", 0, "iproute2-exec", ">", 1);
        new FloorBounds(report, seed, null).peer("seed", 0, "ip-batch", ">=", 5);
        assertThat(out()).isEmpty();
    }

    @Test
    void netvirtOverTheFloorKeepsItsWording() {
        new FloorBounds(report, seed, "netvirt").overFloor("seed", 1.3);
        assertThat(out())
                .isEqualTo("# bound seed-up netvirt/floor: 1.160 (floor-lo/floor: the floor bringing lo up in each"
                        + " namespace, as netvirt does and the peers do not; target <= 1.300 reachable if netvirt"
                        + " added nothing)\n");
    }

    @Test
    void netvirtOverTheFloorHasNoBoundWhenFloorLoTookLongerThanNetvirt() {
        Map<String, Stats[]> r = new LinkedHashMap<>();
        r.put("netvirt", system(2932.1, 555.0));
        r.put("floor", system(2422.0, 1013.4));
        r.put("floor-lo", system(3188.4, 1135.2));
        new FloorBounds(report, r, "netvirt").overFloor("star-1000", 1.5);
        assertThat(out())
                .isEqualTo("# bound star-1000-up netvirt/floor: none (every floor measured in this run took longer"
                        + " than netvirt's 2932.1 ms for up (floor-lo 3188.4 ms): none is a floor for this target)\n");
    }

    @Test
    void theCreatePhasesBoundIsFloorLosNamespacePhaseOverTheFloors() {
        FloorBounds.createPhase(
                report,
                "seed-up phase X",
                Map.of("NetNamespace.create", 5.376, "NetlinkHandle.open", 0.7517),
                Map.of("namespaces+sockets", 3.274, "veths", 1.171),
                Map.of("namespaces+sockets", 4.088, "veths", 1.038),
                1.2);
        assertThat(out())
                .startsWith("# bound seed-up phase X: 1.249 (namespaces+sockets of floor-lo over floor's: the bare"
                        + " syscalls also bringing lo up in each namespace, as NetNamespace.create does")
                .endsWith("; target <= 1.200 out of reach on this machine even if netvirt added nothing)\n");
    }

    @Test
    void theCreatePhaseHasNoBoundWhenFloorLosPhaseTookLonger() {
        FloorBounds.createPhase(
                report,
                "seed-up phase X",
                Map.of("NetNamespace.create", 3.0),
                Map.of("namespaces+sockets", 2.0),
                Map.of("namespaces+sockets", 4.0),
                1.2);
        FloorBounds.createPhase(
                report,
                "seed-up phase X",
                Map.of("NetNamespace.create", 3.0),
                Map.of("namespaces+sockets", 2.0),
                null,
                1.2);
        assertThat(out())
                .isEqualTo("# bound seed-up phase X: none (floor-lo's namespaces+sockets took 4.000 ms, longer than"
                        + " NetNamespace.create's 3.000 ms in this run: no floor for this target)\n");
    }

    @Test
    void theGrowthsBoundIsAFloorsGrowthWithItsPhases() {
        Map<String, Map<Integer, Double>> perHost = new LinkedHashMap<>();
        perHost.put("netvirt", sizes(2.022, 2.932));
        perHost.put("floor", sizes(1.812, 2.422));
        perHost.put("floor-lo", sizes(1.679, 3.188));
        Map<String, Map<Integer, Map<String, Double>>> phases = new LinkedHashMap<>();
        Map<Integer, Map<String, Double>> floor = new LinkedHashMap<>();
        floor.put(100, phases(102.5, 51.355, 19.162));
        floor.put(1000, phases(969.9, 786.7, 613.4));
        phases.put("floor", floor);
        FloorBounds.growth(report, "star-up growth (netvirt)", perHost, phases, "netvirt", 100, 1000, 1.2);
        assertThat(out())
                .isEqualTo("# bound star-up growth (netvirt): 1.337 (floor's per-host cost N=1000 / N=100: the growth"
                        + " of the bare syscalls without even lo up (floor-lo took longer per host than netvirt at one"
                        + " size): the kernel's, as the floor makes nothing but the system calls; per host by phase:"
                        + " namespaces+sockets 0.9462 veths 1.532 addresses+up 3.201; target <= 1.200 out of reach on"
                        + " this machine even if netvirt added nothing)\n");
    }

    @Test
    void theGrowthsBoundPrefersFloorLoAndNeedsNoPhases() {
        Map<String, Map<Integer, Double>> perHost = new LinkedHashMap<>();
        perHost.put("netvirt", sizes(2.0, 2.4));
        perHost.put("floor", sizes(1.5, 1.6));
        perHost.put("floor-lo", sizes(1.6, 1.8));
        FloorBounds.growth(report, "g", perHost, Map.of(), "netvirt", 100, 1000, 1.2);
        assertThat(out())
                .isEqualTo("# bound g: 1.125 (floor-lo's per-host cost N=1000 / N=100: the growth of the bare syscalls"
                        + " doing what netvirt does (lo up in each namespace): the kernel's, as the floor makes nothing"
                        + " but the system calls; target <= 1.200 reachable if netvirt added nothing)\n");
    }

    @Test
    void theGrowthHasNoBoundWhenEveryFloorTookLongerPerHost() {
        Map<String, Map<Integer, Double>> perHost = new LinkedHashMap<>();
        perHost.put("netvirt", sizes(2.0, 2.4));
        perHost.put("floor", sizes(2.1, 2.2));
        FloorBounds.growth(report, "g", perHost, Map.of(), "netvirt", 100, 1000, 1.2);
        assertThat(out())
                .isEqualTo("# bound g: none (every floor measured in this run took longer per host than netvirt's"
                        + " 2.000 and 2.400 ms at N=100 and N=1000 at one size at least (floor 2.100 and 2.200 ms):"
                        + " none is a floor for this target)\n");
    }

    private static Map<Integer, Double> sizes(double at100, double at1000) {
        Map<Integer, Double> m = new LinkedHashMap<>();
        m.put(100, at100);
        m.put(1000, at1000);
        return m;
    }

    private static Map<String, Double> phases(double namespaces, double veths, double addresses) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("namespaces+sockets", namespaces);
        m.put("veths", veths);
        m.put("addresses+up", addresses);
        return m;
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
