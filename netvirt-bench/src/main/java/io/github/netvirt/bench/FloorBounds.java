package io.github.netvirt.bench;

import java.util.List;
import java.util.Map;

/**
 * The {@code # bound} lines of the seed and star targets: a target's ratio with a floor measured in
 * the same run in netvirt's place. The floor is {@code floor-lo} (the bare syscalls doing what netvirt
 * does: {@code lo} up in each namespace), else {@code floor}; a floor that took longer than netvirt
 * in the phase a target measures is no floor for it, and the line says {@code none} and why.
 */
final class FloorBounds {
    static final String FLOOR = "floor";
    static final String FLOOR_LO = "floor-lo";
    static final String NAMESPACES = "namespaces+sockets";
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
                        + (peer.equals("go-netlink") ? "; " + GO : ""));
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
        report.bound(what, r.get(FLOOR_LO)[0].median() / r.get(FLOOR)[0].median(), "<=", limit, LO_UP);
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

    private String inPlace(String floor) {
        return floor.equals(FLOOR_LO)
                ? "floor-lo, the bare syscalls doing what netvirt does (lo up in each namespace), in netvirt's place"
                : "floor, the bare syscalls without even lo up, in netvirt's place ("
                        + (r.containsKey(FLOOR_LO) ? "floor-lo took longer than netvirt here" : "floor-lo not measured")
                        + ")";
    }

    /**
     * The bound of the seed's target {@code NetNamespace.create (netvirt-netlink) / namespaces+sockets
     * (floor) <= limit}: floor-lo's namespaces+sockets over floor's, when floor-lo's phase took no
     * longer than netvirt-netlink's. The arguments are phase medians (ms) by phase name, null when
     * that system was not measured.
     */
    static void createPhase(
            Report report,
            String what,
            Map<String, Double> netlink,
            Map<String, Double> floor,
            Map<String, Double> floorLo,
            double limit) {
        if (netlink == null || floor == null || floorLo == null) {
            return;
        }
        Double create = netlink.get("NetNamespace.create");
        Double lo = floorLo.get(NAMESPACES);
        Double bare = floor.get(NAMESPACES);
        if (create == null || lo == null || bare == null) {
            return;
        }
        if (lo > create) {
            report.noBound(
                    what,
                    "floor-lo's " + NAMESPACES + " took " + Report.fmt(lo) + " ms, longer than NetNamespace.create's "
                            + Report.fmt(create) + " ms in this run: no floor for this target");
            return;
        }
        report.bound(
                what,
                lo / bare,
                "<=",
                limit,
                NAMESPACES + " of floor-lo over floor's: the bare syscalls also bringing lo up in each namespace, as"
                        + " NetNamespace.create does (both floors' phase also opens a netlink socket per namespace,"
                        + " which netvirt-netlink does in its NetlinkHandle.open phase)");
    }

    /**
     * The bound of target {@code star-up per-host cost N=<large> / N=<small> (<netvirt>) <= limit}:
     * the same growth of floor-lo, else floor, whichever took no longer per host than netvirt at both
     * sizes, with that floor's growth phase by phase. {@code perHost}: system -> N -> up's median / N
     * (ms); {@code phases}: system -> N -> phase medians (ms), missing where not measured.
     */
    static void growth(
            Report report,
            String what,
            Map<String, Map<Integer, Double>> perHost,
            Map<String, Map<Integer, Map<String, Double>>> phases,
            String ref,
            int small,
            int large,
            double limit) {
        Map<Integer, Double> nv = perHost.get(ref);
        if (nv == null || !nv.containsKey(small) || !nv.containsKey(large)) {
            return;
        }
        StringBuilder slower = new StringBuilder();
        for (String f : List.of(FLOOR_LO, FLOOR)) {
            Map<Integer, Double> m = perHost.get(f);
            if (m == null || !m.containsKey(small) || !m.containsKey(large)) {
                continue;
            }
            if (m.get(small) > nv.get(small) || m.get(large) > nv.get(large)) {
                slower.append(slower.length() == 0 ? "" : ", ")
                        .append(f)
                        .append(' ')
                        .append(Report.fmt(m.get(small)))
                        .append(" and ")
                        .append(Report.fmt(m.get(large)))
                        .append(" ms");
                continue;
            }
            StringBuilder why = new StringBuilder(
                            f + "'s per-host cost N=" + large + " / N=" + small + ": the growth of ")
                    .append(
                            f.equals(FLOOR_LO)
                                    ? "the bare syscalls doing what netvirt does (lo up in each namespace)"
                                    : "the bare syscalls without even lo up ("
                                            + (perHost.containsKey(FLOOR_LO)
                                                    ? "floor-lo took longer per host than netvirt at one size"
                                                    : "floor-lo not measured")
                                            + ")")
                    .append(": the kernel's, as the floor makes nothing but the system calls");
            Map<Integer, Map<String, Double>> ph = phases.get(f);
            if (ph != null && ph.containsKey(small) && ph.containsKey(large)) {
                why.append("; per host by phase:");
                for (Map.Entry<String, Double> e : ph.get(large).entrySet()) {
                    Double a = ph.get(small).get(e.getKey());
                    if (a != null && a > 0) {
                        why.append(' ')
                                .append(e.getKey())
                                .append(' ')
                                .append(Report.fmt(e.getValue() / large / (a / small)));
                    }
                }
            }
            report.bound(what, m.get(large) / m.get(small), "<=", limit, why.toString());
            return;
        }
        if (slower.length() > 0) {
            report.noBound(
                    what,
                    "every floor measured in this run took longer per host than " + ref + "'s "
                            + Report.fmt(nv.get(small)) + " and " + Report.fmt(nv.get(large)) + " ms at N=" + small
                            + " and N=" + large + " at one size at least (" + slower + "): none is a floor for this"
                            + " target");
        }
    }
}
