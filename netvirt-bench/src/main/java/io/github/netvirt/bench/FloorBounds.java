package io.github.netvirt.bench;

import io.github.netvirt.bench.floor.Floor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code # bound} lines of the seed and star targets: a target's ratio with a floor measured in
 * the same run in netvirt's place. The floor is the faster, in the phase the target measures, of
 * {@code floor-lo} (the bare syscalls doing what netvirt does: {@code lo} up in each namespace; its
 * namespaces made on one thread) and {@code floor-lo2} (the same, its namespaces made on two threads
 * as netvirt makes them): the best a program built either way could do. When both took longer than
 * netvirt, {@code floor} (one thread, no {@code lo} up) stands in; when it did too, the line says
 * {@code none} and why. Which floor stands in is decided on the medians (the times the lines quote);
 * the bound's value is, as the target's, the median of the per-round ratios ({@link RoundRatios}).
 *
 * <p>An "out of reach" holds on this machine when both lo floors were measured and one of them
 * stands in, and for down while netvirt deletes its namespaces on one thread as every floor does
 * (below {@link #NETVIRT_SPREADS_DELETES_FROM} namespaces). Otherwise it holds only for a program
 * built as the floor in netvirt's place ({@link #outOfReach}): one that makes its namespaces on one
 * thread (netvirt splits them over two from two namespaces up) or on two (floor-lo2 alone measured),
 * and, for down and total from {@link #NETVIRT_SPREADS_DELETES_FROM} namespaces up, deletes them on
 * one thread (netvirt then deletes them on one thread per {@link #NETVIRT_DELETES_PER_THREAD}). A floor's phase against
 * netvirt-netlink's {@code NetNamespace.create} (one namespace at a time, one thread) is floor-lo's
 * ({@link #createPhase}). A floor's per-host growth is no bound at all ({@link #growth}).
 */
final class FloorBounds {
    static final String FLOOR = "floor";
    static final String FLOOR_LO = "floor-lo";
    static final String FLOOR_LO2 = "floor-lo2";
    /** Said of a lo floor in netvirt's place when both were measured. */
    private static final String FASTER_LO = " (the faster of floor-lo and floor-lo2 here)";

    static final String FLOOR_REC2 = "floor-rec2";

    static final String PROMISES = "floor-rec2, floor-lo2 with the system calls netvirt makes to keep its promises"
            + " (the crash record and its lines, each name taken in name order through an unnamed file before its namespace, one ioctl"
            + " per device brought up to have the kernel finish its up; each namespace's fd held from its up to"
            + " its down, where its name is compared with it before it is removed), in netvirt's place";
    static final String KEEPING = "for a program that keeps netvirt's promises and makes its namespaces on two"
            + " threads, as floor-rec2 does, on this machine";

    static final String LO_UP =
            "floor-lo/floor: the floor bringing lo up in each namespace, as netvirt does and the peers do not";
    static final String LO2_UP = "floor-lo2/floor: the floor bringing lo up in each namespace and making its"
            + " namespaces on two threads, as netvirt does";
    static final String GO = "the Go peer makes each namespace as ip netns add does (netns.NewNamed: unshare, file,"
            + " bind mount; /run/netns left as found) and removes it as the floors do (umount2 + unlink, one thread),"
            + " but does not bring lo up; beyond that it does nothing netvirt does not but a broadcast address per host"
            + " address, and makes more requests (a link lookup after each new link, the master set apart, one request"
            + " per ack)";

    /**
     * netvirt-core deletes names on one thread per this many ({@code Resources.DELETES_PER_THREAD}),
     * so from twice this many namespaces up on several, the floors always on one (FloorBoundsTest
     * checks the two agree).
     */
    static final int NETVIRT_DELETES_PER_THREAD = 16;

    /** netvirt-core's {@code Resources.MAX_DELETERS}. */
    static final int NETVIRT_MAX_DELETERS = 64;

    /** From this many namespaces up netvirt-core deletes their names on more than one thread. */
    static final int NETVIRT_SPREADS_DELETES_FROM = 2 * NETVIRT_DELETES_PER_THREAD;

    private final Report report;
    private final Map<String, Stats[]> r;
    private final String ref;
    private final int namespaces;

    /**
     * {@code r}: every system's up, down and total of one run ({@link Harness#measure}); {@code ref}:
     * netvirt's name; {@code namespaces}: how many namespaces the workload makes and deletes.
     */
    FloorBounds(Report report, Map<String, Stats[]> r, String ref, int namespaces) {
        this.report = report;
        this.r = r;
        this.ref = ref;
        this.namespaces = namespaces;
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
        String floor = floorFor(what, p, true);
        if (floor == null) {
            return;
        }
        report.bound(
                what,
                ratio(peer, floor, p),
                relation,
                limit,
                peer + "/" + floor + ": the same ratio with " + inPlace(floor) + eitherWay(floor)
                        + (peer.equals("go-netlink") ? "; " + GO : ""),
                outOfReach(p, floor));
    }

    /** The bound of target {@code <workload>-up <netvirt>/floor <= limit}: the faster lo floor over floor. */
    void overFloor(String workload, double limit) {
        if (ref == null || !r.containsKey(FLOOR) || !r.containsKey(ref)) {
            return;
        }
        String what = workload + "-up " + ref + "/" + FLOOR;
        String lo = floorFor(what, 0, false);
        if (lo == null) {
            return;
        }
        report.bound(
                what,
                ratio(lo, FLOOR, 0),
                "<=",
                limit,
                (lo.equals(FLOOR_LO) ? LO_UP : LO2_UP) + eitherWay(lo),
                outOfReach(0, lo));
    }

    /**
     * The bound of target {@code <workload>-<phase> <peer>/<netvirt>} with netvirt's promises: the same
     * ratio with floor-rec2's phase {@code p} in netvirt's place, when it was measured.
     */
    void peerKeepingPromises(String workload, int p, String peer, String relation, double limit) {
        if (ref == null || !r.containsKey(peer) || !r.containsKey(FLOOR_REC2)) {
            return;
        }
        String what = workload + "-" + SeedBench.PHASES[p] + " " + peer + "/" + ref + " keeping the promises";
        if (slowerThanNetvirt(what, p)) {
            return;
        }
        report.bound(
                what,
                ratio(peer, FLOOR_REC2, p),
                relation,
                limit,
                peer + "/" + FLOOR_REC2 + ": the same ratio with " + PROMISES,
                KEEPING);
    }

    /** The bound of target {@code <workload>-up <netvirt>/floor <= limit} with netvirt's promises: floor-rec2 over floor. */
    void overFloorKeepingPromises(String workload, double limit) {
        if (ref == null || !r.containsKey(FLOOR) || !r.containsKey(FLOOR_REC2)) {
            return;
        }
        String what = workload + "-up " + ref + "/" + FLOOR + " keeping the promises";
        if (slowerThanNetvirt(what, 0)) {
            return;
        }
        report.bound(
                what, ratio(FLOOR_REC2, FLOOR, 0), "<=", limit, FLOOR_REC2 + "/" + FLOOR + ": " + PROMISES, KEEPING);
    }

    /** The median of the per-round ratios {@code system / reference} in phase {@code p} ({@link RoundRatios}). */
    private double ratio(String system, String reference, int p) {
        return RoundRatios.of(r.get(system)[p], r.get(reference)[p]).median();
    }

    /** Whether floor-rec2 took longer than netvirt in phase {@code p}: then no floor, and a {@code none} line says so. */
    private boolean slowerThanNetvirt(String what, int p) {
        double rec = r.get(FLOOR_REC2)[p].median();
        double nv = r.get(ref)[p].median();
        if (rec <= nv) {
            return false;
        }
        report.noBound(
                what,
                FLOOR_REC2 + " took " + Report.fmt(rec) + " ms, longer than " + ref + "'s " + Report.fmt(nv)
                        + " ms for " + SeedBench.PHASES[p] + " in this run: no floor for this target");
        return true;
    }

    /** Whether {@code system} is one of the floors whose growth {@link #growth} prints. */
    static boolean isFloor(String system) {
        return system.equals(FLOOR) || system.equals(FLOOR_LO) || system.equals(FLOOR_LO2);
    }

    /**
     * What "out of reach" holds for in phase {@code p} (0 up, 1 down, 2 total) with {@code floor} in
     * netvirt's place: any program on this machine, unless the floor made or deleted its namespaces
     * otherwise than a faster program could. Its making bounds any program when it is a lo floor and
     * both were measured in this run (it is then the faster); its deleting (on one thread, every
     * floor's) while netvirt deletes on one thread too.
     */
    private String outOfReach(int p, String floor) {
        String makes = null;
        String why = null;
        if (p != 1 && (floor.equals(FLOOR) || !r.containsKey(FLOOR_LO) || !r.containsKey(FLOOR_LO2))) {
            boolean two = floor.equals(FLOOR_LO2);
            makes = "makes its namespaces on " + (two ? "two threads" : "one thread");
            why = two ? "floor-lo, on one thread, was not measured" : "netvirt splits them over two";
        }
        String deletes = null;
        if (p != 0 && namespaces >= NETVIRT_SPREADS_DELETES_FROM) {
            deletes = makes == null ? "deletes its namespaces on one thread" : "deletes them on one thread";
            why = (why == null ? "" : why + "; ")
                    + "netvirt deletes them on one thread per " + NETVIRT_DELETES_PER_THREAD + " (at most "
                    + NETVIRT_MAX_DELETERS + ") from " + NETVIRT_SPREADS_DELETES_FROM + " namespaces up";
        }
        if (makes == null && deletes == null) {
            return Report.ON_THIS_MACHINE;
        }
        return "for a program that "
                + (makes == null ? deletes : deletes == null ? makes : makes + " and " + deletes)
                + ", as the floor in netvirt's place does (" + why + ")";
    }

    /**
     * The floor for phase {@code p}: the faster of floor-lo and floor-lo2 measured in this run, else
     * ({@code bare}) floor, the first that took no longer than netvirt; or null, and when every
     * measured one took longer, a {@code none} bound line says so.
     */
    private String floorFor(String what, int p, boolean bare) {
        double nv = r.get(ref)[p].median();
        List<String> measured = new ArrayList<>();
        for (String f : bare ? List.of(FLOOR_LO, FLOOR_LO2, FLOOR) : List.of(FLOOR_LO, FLOOR_LO2)) {
            if (r.containsKey(f)) {
                measured.add(f);
            }
        }
        String lo = fasterLo(p);
        if (lo != null && r.get(lo)[p].median() <= nv) {
            return lo;
        }
        if (bare && r.containsKey(FLOOR) && r.get(FLOOR)[p].median() <= nv) {
            return FLOOR;
        }
        if (!measured.isEmpty()) {
            StringBuilder slower = new StringBuilder();
            for (String f : measured) {
                slower.append(slower.length() == 0 ? "" : ", ")
                        .append(f)
                        .append(' ')
                        .append(Report.fmt(r.get(f)[p].median()))
                        .append(" ms");
            }
            report.noBound(
                    what,
                    "every floor measured in this run took longer than " + ref + "'s " + Report.fmt(nv) + " ms for "
                            + SeedBench.PHASES[p] + " (" + slower + "): none is a floor for this target");
        }
        return null;
    }

    /** The faster in phase {@code p} of floor-lo and floor-lo2 measured in this run (floor-lo on a tie), or null. */
    private String fasterLo(int p) {
        String best = null;
        for (String f : List.of(FLOOR_LO, FLOOR_LO2)) {
            if (r.containsKey(f) && (best == null || r.get(f)[p].median() < r.get(best)[p].median())) {
                best = f;
            }
        }
        return best;
    }

    /** For a lo floor in netvirt's place when both were measured: that it was the faster of the two. */
    private String eitherWay(String floor) {
        return !floor.equals(FLOOR) && r.containsKey(FLOOR_LO) && r.containsKey(FLOOR_LO2) ? FASTER_LO : "";
    }

    /** {@code floor} and what it does, in netvirt's place; for the bare floor, why not a lo floor. */
    private String inPlace(String floor) {
        return switch (floor) {
            case FLOOR_LO ->
                "floor-lo, the bare syscalls doing what netvirt does (lo up in each namespace), in"
                        + " netvirt's place";
            case FLOOR_LO2 ->
                "floor-lo2, the bare syscalls doing what netvirt does (lo up in each namespace, the"
                        + " namespaces made on two threads as netvirt makes them), in netvirt's place";
            default ->
                "floor, the bare syscalls without even lo up, in netvirt's place ("
                        + (r.containsKey(FLOOR_LO) && r.containsKey(FLOOR_LO2)
                                ? "floor-lo and floor-lo2 took longer than netvirt here"
                                : r.containsKey(FLOOR_LO2)
                                        ? "floor-lo2 took longer than netvirt here"
                                        : r.containsKey(FLOOR_LO)
                                                ? "floor-lo took longer than netvirt here"
                                                : "floor-lo not measured")
                        + ")";
        };
    }

    /**
     * The bound of the seed's target {@code NetNamespace.create (netvirt-netlink) / namespaces+sockets
     * (floor) <= limit}: the faster of floor-lo's and floor-lo2's namespaces (file, unshare, bind
     * mount, lo up: what NetNamespace.create(List) does, on one thread or, as it does, on two;
     * without the floor's netlink socket per namespace) over floor's namespaces and sockets, when
     * that took no longer than NetNamespace.create. The arguments are phase medians (ms) by phase
     * name, null when that system was not measured; {@code floorBoth}: the median over the floor's
     * runs of its namespaces and sockets together.
     */
    static void createPhase(
            Report report,
            String what,
            Map<String, Double> netlink,
            double floorBoth,
            Map<String, Double> floorLo,
            Map<String, Double> floorLo2,
            double limit) {
        Double create = netlink == null ? null : netlink.get("NetNamespace.create");
        Double lo = floorLo == null ? null : floorLo.get(Floor.NAMESPACES);
        Double lo2 = floorLo2 == null ? null : floorLo2.get(Floor.NAMESPACES);
        if (create == null || lo == null && lo2 == null || Double.isNaN(floorBoth)) {
            return;
        }
        boolean two = lo == null || lo2 != null && lo2 < lo;
        String floor = two ? FLOOR_LO2 : FLOOR_LO;
        double ns = two ? lo2 : lo;
        String which = lo != null && lo2 != null ? FASTER_LO : "";
        if (ns > create) {
            report.noBound(
                    what,
                    floor + "'s " + Floor.NAMESPACES + " took " + Report.fmt(ns)
                            + " ms, longer than NetNamespace.create's " + Report.fmt(create)
                            + " ms in this run" + which + ": no floor for this target");
            return;
        }
        report.bound(
                what,
                ns / floorBoth,
                "<=",
                limit,
                floor + "'s " + Floor.NAMESPACES + " over floor's " + Floor.NAMESPACES + "+" + Floor.SOCKETS + which
                        + ": the bare syscalls doing what NetNamespace.create(List) does (file, unshare, bind"
                        + " mount, lo up" + (two ? "; two threads each taking the next namespace" : "")
                        + "), without the netlink socket per namespace that both floors open in their "
                        + Floor.SOCKETS + " phase",
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
        for (String f : List.of(FLOOR_LO, FLOOR_LO2, FLOOR)) {
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
