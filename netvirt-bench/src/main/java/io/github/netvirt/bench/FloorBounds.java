package io.github.netvirt.bench;

import io.github.netvirt.bench.floor.Floor;
import java.util.List;
import java.util.Map;

/**
 * The {@code # bound} lines of the seed and star targets: a target's ratio with a floor measured in
 * the same run in netvirt's place. The floor is {@code floor-lo} (the bare syscalls doing what netvirt
 * does: {@code lo} up in each namespace), else {@code floor}; a floor that took longer than netvirt
 * in the phase a target measures is no floor for it, and the line says {@code none} and why.
 *
 * <p>The floors make their namespaces on one thread; netvirt splits them over two (from two
 * namespaces up), so a floor's up or total bounds only a program that makes its namespaces on one
 * thread, and an "out of reach" for those phases says so. Its down (netvirt deletes its namespaces on
 * one thread) and a floor's phase against netvirt-netlink's {@code NetNamespace.create} (one thread)
 * bound netvirt itself. A floor's per-host growth is no bound at all ({@link #growth}).
 */
final class FloorBounds {
    static final String FLOOR = "floor";
    static final String FLOOR_LO = "floor-lo";

    static final String LO_UP =
            "floor-lo/floor: the floor bringing lo up in each namespace, as netvirt does and the peers do not";
    static final String GO = "the Go peer makes each namespace as ip netns add does (netns.NewNamed: unshare, file,"
            + " bind mount; /run/netns left as found) and removes it as the floors do (umount2 + unlink, one thread),"
            + " but does not bring lo up; beyond that it does nothing netvirt does not but a broadcast address per host"
            + " address, and makes more requests (a link lookup after each new link, the master set apart, one request"
            + " per ack)";

    private final Report report;
    private final Map<String, Stats[]> r;
    private final String ref;

    /** {@code r}: every system's up, down and total of one run ({@link Harness#measure}); {@code ref}: netvirt's name. */
    FloorBounds(Report report, Map<String, Stats[]> r, String ref) {
        this.report = report;
        this.r = r;
        this.ref = ref;
    }

    /**
     * The bound of target {@code <workload>-<phase> <peer>/<netvirt> <relation> <limit>}: the same
     * ratio with a floor's phase {@code p} in netvirt's place.
     */
    void peer(String workload, int p, String peer, String relation, double limit) {
        if (ref == null || !r.containsKey(peer) || !r.containsKey(ref)) {
            return;
        }
        String what = workload + "-" + SeedBench.PHASES[p] + " " + peer + "/" + ref;
        String floor = floorFor(what, p, FLOOR_LO, FLOOR);
        if (floor == null) {
            return;
        }
        report.bound(
                what,
                r.get(peer)[p].median() / r.get(floor)[p].median(),
                relation,
                limit,
                peer + "/" + floor + ": the same ratio with " + inPlace(floor)
                        + (peer.equals("go-netlink") ? "; " + GO : ""),
                outOfReach(p));
    }

    /** The bound of target {@code <workload>-up <netvirt>/floor <= limit}: floor-lo/floor. */
    void overFloor(String workload, double limit) {
        if (ref == null || !r.containsKey(FLOOR) || !r.containsKey(ref)) {
            return;
        }
        String what = workload + "-up " + ref + "/" + FLOOR;
        if (floorFor(what, 0, FLOOR_LO) == null) {
            return;
        }
        report.bound(what, r.get(FLOOR_LO)[0].median() / r.get(FLOOR)[0].median(), "<=", limit, LO_UP, outOfReach(0));
    }

    /** Whether {@code system} is one of the floors whose growth {@link #growth} prints. */
    static boolean isFloor(String system) {
        return system.equals(FLOOR) || system.equals(FLOOR_LO);
    }

    /** What "out of reach" holds for in phase {@code p}: up and total only for one-thread programs. */
    private static String outOfReach(int p) {
        return p == 1 ? Report.ON_THIS_MACHINE : Report.ONE_THREAD;
    }

    /**
     * The first of {@code floors} measured in this run that took no longer than netvirt in phase
     * {@code p}, or null; when every measured one took longer, a {@code none} bound line says so.
     */
    private String floorFor(String what, int p, String... floors) {
        double nv = r.get(ref)[p].median();
        StringBuilder slower = new StringBuilder();
        for (String f : floors) {
            if (!r.containsKey(f)) {
                continue;
            }
            double m = r.get(f)[p].median();
            if (m <= nv) {
                return f;
            }
            slower.append(slower.length() == 0 ? "" : ", ")
                    .append(f)
                    .append(' ')
                    .append(Report.fmt(m))
                    .append(" ms");
        }
        if (slower.length() > 0) {
            report.noBound(
                    what,
                    "every floor measured in this run took longer than " + ref + "'s " + Report.fmt(nv) + " ms for "
                            + SeedBench.PHASES[p] + " (" + slower + "): none is a floor for this target");
        }
        return null;
    }

    /** {@code floor} and what it does, in netvirt's place; for the bare floor, why not floor-lo. */
    private String inPlace(String floor) {
        return floor.equals(FLOOR_LO)
                ? "floor-lo, the bare syscalls doing what netvirt does (lo up in each namespace), in netvirt's place"
                : "floor, the bare syscalls without even lo up, in netvirt's place ("
                        + (r.containsKey(FLOOR_LO) ? "floor-lo took longer than netvirt here" : "floor-lo not measured")
                        + ")";
    }

    /**
     * The bound of the seed's target {@code NetNamespace.create (netvirt-netlink) / namespaces+sockets
     * (floor) <= limit}: floor-lo's namespaces (file, unshare, bind mount, lo up: what
     * NetNamespace.create does, without the floor's netlink socket per namespace) over floor's
     * namespaces and sockets, when floor-lo's namespaces took no longer than NetNamespace.create.
     * The arguments are phase medians (ms) by phase name, null when that system was not measured;
     * {@code floorBoth}: the median over the floor's runs of its namespaces and sockets together.
     */
    static void createPhase(
            Report report,
            String what,
            Map<String, Double> netlink,
            double floorBoth,
            Map<String, Double> floorLo,
            double limit) {
        if (netlink == null || floorLo == null || Double.isNaN(floorBoth)) {
            return;
        }
        Double create = netlink.get("NetNamespace.create");
        Double lo = floorLo.get(Floor.NAMESPACES);
        if (create == null || lo == null) {
            return;
        }
        if (lo > create) {
            report.noBound(
                    what,
                    "floor-lo's " + Floor.NAMESPACES + " took " + Report.fmt(lo)
                            + " ms, longer than NetNamespace.create's " + Report.fmt(create)
                            + " ms in this run: no floor for this target");
            return;
        }
        report.bound(
                what,
                lo / floorBoth,
                "<=",
                limit,
                "floor-lo's " + Floor.NAMESPACES + " over floor's " + Floor.NAMESPACES + "+" + Floor.SOCKETS
                        + ": the bare syscalls doing"
                        + " what NetNamespace.create does (file, unshare, bind mount, lo up), without the netlink"
                        + " socket per namespace that both floors open in their " + Floor.SOCKETS + " phase",
                Report.ON_THIS_MACHINE);
    }

    /**
     * A {@code # per-host cost} note for each floor measured at both sizes: its per-host cost
     * N={@code large} / N={@code small} and its growth phase by phase, the kernel's share of the
     * growth. No bound on netvirt's growth: a constant per-host cost {@code o} on top of a floor's
     * {@code f} makes {@code (f_L + o) / (f_S + o)} lower than {@code f_L / f_S}. {@code perHost}:
     * system -> N -> up's median / N (ms); {@code phases}: system -> N -> phase medians (ms),
     * missing where not measured.
     */
    static void growth(
            Report report,
            String workload,
            Map<String, Map<Integer, Double>> perHost,
            Map<String, Map<Integer, Map<String, Double>>> phases,
            int small,
            int large) {
        for (String f : List.of(FLOOR_LO, FLOOR)) {
            Map<Integer, Double> m = perHost.get(f);
            if (m == null || !m.containsKey(small) || !m.containsKey(large)) {
                continue;
            }
            StringBuilder note = new StringBuilder(
                            "per-host cost " + workload + " N=" + large + " / N=" + small + " " + f + ": ")
                    .append(Report.fmt(m.get(large) / m.get(small)))
                    .append(" (the kernel's share of the growth, as the floor makes nothing but the system calls;"
                            + " no bound on netvirt's: a constant per-host cost on top of the floor's lowers a growth"
                            + " above 1");
            Map<Integer, Map<String, Double>> ph = phases.get(f);
            if (ph != null && ph.containsKey(small) && ph.containsKey(large)) {
                note.append("; per host by phase:");
                for (Map.Entry<String, Double> e : ph.get(large).entrySet()) {
                    Double a = ph.get(small).get(e.getKey());
                    if (a != null && a > 0) {
                        note.append(' ')
                                .append(e.getKey())
                                .append(' ')
                                .append(Report.fmt(e.getValue() / large / (a / small)));
                    }
                }
            }
            report.note(note.append(')').toString());
        }
    }
}
