package io.github.netvirt.bench;

import io.github.netvirt.bench.floor.Floor;
import io.github.netvirt.bench.netvirt.NetvirtTopos;
import io.github.netvirt.bench.peer.GoPeer;
import io.github.netvirt.bench.peer.StarPeer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The star at one or more N: netvirt vs star.sh's iproute2-exec (N <= 100) and ip-batch, and the floor. */
final class StarBench extends Workload {

    StarBench(Main.Options o, Report report) {
        super(o, report);
    }

    @Override
    public void run() throws Exception {
        Map<Integer, Double> perHost = new LinkedHashMap<>();
        Map<String, Map<Integer, Double>> perHostAll = new LinkedHashMap<>();
        Map<String, Map<Integer, Map<String, Double>>> phasesAll = new LinkedHashMap<>();
        String ref = null;
        for (int n : o.sizes) {
            List<Topo> systems = new ArrayList<>();
            Topo netvirt = NetvirtTopos.star("bn" + o.token + "s-", n);
            if (netvirt != null && o.wants(netvirt.system())) {
                systems.add(netvirt);
            }
            if (o.wants("netvirt-netlink")) {
                systems.add(NetvirtTopos.starNetlink("bn" + o.token + "l-", n));
            }
            if (o.wants("floor")) {
                systems.add(Floor.star("bn" + o.token + "f-", n));
            }
            if (o.wants("floor-lo")) {
                systems.add(Floor.star("bn" + o.token + "o-", n).withLoopbackUp());
            }
            if (o.wants("floor-lo2")) {
                systems.add(
                        Floor.star("bn" + o.token + "o2-", n).withLoopbackUp().onTwoThreads());
            }
            if (o.wants("floor-rec2")) {
                systems.add(Floor.star("bn" + o.token + "r2-", n).withPromises().onTwoThreads());
            }
            if (n <= 100 && o.wants("iproute2-exec")) {
                systems.add(new StarPeer("iproute2-exec", "bnp-" + o.token + "e-", n));
            }
            if (o.wants("ip-batch")) {
                systems.add(new StarPeer("ip-batch", "bnp-" + o.token + "b-", n));
            }
            if (o.wants("go-netlink")) {
                String why = GoPeer.unavailable();
                if (why == null) {
                    if (n == o.sizes.get(0)) {
                        report.note(GoPeer.NOTE);
                    }
                    systems.add(GoPeer.star("bnp-" + o.token + "g-", n));
                } else if (n == o.sizes.get(0)) {
                    report.note("go-netlink skipped: " + why);
                }
            }
            // the kernel tears namespaces down asynchronously: give it time off the clock
            Map<String, Stats[]> r = new Harness(o.warmup, o.runs, o.peerRuns(), 3000 + 12L * n)
                    .forked(Forks.of(o), report) // one size only (Main)
                    .measure(systems);
            ref = netvirt != null && r.containsKey(netvirt.system()) ? netvirt.system() : null;
            if (ref == null) {
                report.note("netvirt was not measured: no ratios");
            }
            print(report, "star-" + n, r, ref);
            Harness.printCpu(report, "star-" + n, r, ref);
            for (Map.Entry<String, Stats[]> e : r.entrySet()) {
                perHostAll
                        .computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>())
                        .put(n, e.getValue()[0].median() / n);
            }
            Harness.printPhases(report, "star-" + n, systems);
            for (Topo t : systems) {
                if (t.phases() != null && !t.phases().isEmpty()) {
                    phasesAll
                            .computeIfAbsent(t.system(), k -> new LinkedHashMap<>())
                            .put(n, t.phases().medians());
                }
            }
            if (ref == null) {
                continue;
            }
            FloorBounds bounds = new FloorBounds(report, r, ref, n + 1); // the bridge's and n hosts'
            Stats[] nv = r.get(ref);
            for (Map.Entry<String, Stats[]> e : r.entrySet()) {
                if (e.getKey().equals(ref)
                        || e.getKey().startsWith("floor")
                        || e.getKey().startsWith("netvirt")) {
                    continue;
                }
                for (int p = 0; p < SeedBench.PHASES.length; p++) {
                    report.pairedTarget(
                            "star-" + n + "-" + SeedBench.PHASES[p] + " " + e.getKey() + "/" + ref,
                            e.getValue()[p],
                            nv[p],
                            ">",
                            1);
                    bounds.peer("star-" + n, p, e.getKey(), ">", 1);
                    bounds.peerKeepingPromises("star-" + n, p, e.getKey(), ">", 1);
                }
            }
            if (r.containsKey("floor")) {
                // issue 16: at the floor for N=100
                report.pairedTarget(
                        "star-" + n + "-up " + ref + "/floor", nv[0], r.get("floor")[0], "<=", n == 100 ? 1.2 : 1.5);
                bounds.overFloor("star-" + n, n == 100 ? 1.2 : 1.5);
                bounds.overFloorKeepingPromises("star-" + n, n == 100 ? 1.2 : 1.5);
            }
            if (n >= QUIET_DOWN_FROM) {
                quietDowns(n, ref);
            }
            perHost.put(n, nv[0].median() / n);
            report.note("per host star-" + n + "-up " + ref + ": " + Report.fmt(nv[0].median() / n) + " ms");
        }
        // the same ratio for every system; the floors' (with their phases): how much of the growth is the kernel's
        for (Map.Entry<String, Map<Integer, Double>> e : perHostAll.entrySet()) {
            Map<Integer, Double> m = e.getValue();
            if (m.containsKey(100) && m.containsKey(1000) && !FloorBounds.isFloor(e.getKey())) {
                report.note("per-host cost star-up N=1000 / N=100 " + e.getKey() + ": "
                        + Report.fmt(m.get(1000) / m.get(100)));
            }
        }
        FloorBounds.growth(report, "star-up", perHostAll, phasesAll, 100, 1000);
        if (ref != null && perHost.containsKey(100) && perHost.containsKey(1000)) {
            String what = "star-up per-host cost N=1000 / N=100 (" + ref + ")";
            report.target(what, perHost.get(1000) / perHost.get(100), "<=", 1.2);
        }
    }

    /** From this many hosts up the downs are measured a second time, on a quiet kernel ({@link #quietDowns}). */
    static final int QUIET_DOWN_FROM = 1000;

    /** The longest a down waits for the kernel to be quiet after its up. */
    static final long QUIET_CAP_MILLIS = 25_000;

    /**
     * The downs of {@code ref}, floor, floor-rec2 and ip-batch measured again, in rounds of their own after
     * the main ones, each once no packets moved in the kernel after its up
     * ({@link Harness#quietBeforeDown}): the main rounds time every down 100 ms after its up, when
     * an unmount waits up to 10x longer than on a quiet kernel for as long as the hosts' IPv6
     * start-up traffic lasts, so there a down's time depends on how long the system's up took.
     */
    private void quietDowns(int n, String ref) throws Exception {
        // systems of their own: a measured system is cleaned up for good at the end of its rounds
        List<Topo> quiet = new ArrayList<>();
        Topo netvirt = NetvirtTopos.star("bn" + o.token + "qs-", n);
        if (netvirt != null && netvirt.system().equals(ref)) {
            quiet.add(netvirt);
        }
        if (o.wants("floor")) {
            quiet.add(Floor.star("bn" + o.token + "qf-", n));
        }
        if (o.wants("floor-rec2")) {
            quiet.add(Floor.star("bn" + o.token + "qr-", n).withPromises().onTwoThreads());
        }
        if (o.wants("ip-batch")) {
            quiet.add(new StarPeer("ip-batch", "bnp-" + o.token + "qb-", n));
        }
        Harness harness =
                new Harness(0, o.quietRuns(), o.quietRuns(), 3000 + 12L * n).quietBeforeDown(QUIET_CAP_MILLIS);
        Map<String, Stats[]> r = harness.measure(quiet);
        if (!r.containsKey(ref)) {
            return;
        }
        Map<String, Stats> downs = new LinkedHashMap<>();
        r.forEach((system, s) -> downs.put(system, s[1]));
        String name = "star-" + n + "-down-quiet";
        report.note(name + ": the downs again, in " + o.quietRuns()
                + " round(s) of their own, each timed once no packets had moved"
                + " in the kernel for " + Kernel.QUIET_WINDOW_MILLIS + " ms after its up (at most "
                + Kernel.QUIET_PACKET_SOFTIRQS + " NET_RX softirqs; waited at most " + QUIET_CAP_MILLIS / 1000
                + " s, off the clock) instead of 100 ms after it: until the hosts' IPv6 start-up traffic (about 8"
                + " packets per host over 15 s, each flooded to every bridge port) has ended, an unmount waits up"
                + " to 10x longer (KERNEL-NOTES.md). Median wait, ms: " + waits(harness.quietWaits()));
        report.workload(name, "ms", downs, ref);
        if (r.containsKey("ip-batch")) {
            report.pairedTarget(name + " ip-batch/" + ref, downs.get("ip-batch"), downs.get(ref), ">", 1);
            for (String floor : List.of("floor", "floor-rec2")) {
                if (downs.containsKey(floor)) {
                    double bound = RoundRatios.of(downs.get("ip-batch"), downs.get(floor))
                            .median();
                    report.note("bound " + name + " ip-batch/" + ref + ": " + Report.fmt(bound) + " (ip-batch/" + floor
                            + ", " + (floor.equals("floor") ? "the bare system calls" : FloorBounds.PROMISES)
                            + ", deleting on one thread; target > 1 " + (bound > 1 ? "reachable" : "out of reach")
                            + " for such a program)");
                }
            }
        }
    }

    private static String waits(Map<String, Stats> waits) {
        StringBuilder b = new StringBuilder();
        waits.forEach((system, s) ->
                b.append(b.length() == 0 ? "" : ", ").append(system).append(' ').append(Report.fmt(s.median())));
        return b.toString();
    }

    static void print(Report report, String prefix, Map<String, Stats[]> r, String ref) {
        for (int p = 0; p < SeedBench.PHASES.length; p++) {
            Map<String, Stats> by = new LinkedHashMap<>();
            for (Map.Entry<String, Stats[]> e : r.entrySet()) {
                by.put(e.getKey(), e.getValue()[p]);
            }
            report.workload(prefix + "-" + SeedBench.PHASES[p], "ms", by, ref);
        }
    }
}
