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
            Map<String, Stats[]> r = new Harness(o.warmup, o.runs, o.peerRuns(), 3000 + 12L * n).measure(systems);
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
                    report.target(
                            "star-" + n + "-" + SeedBench.PHASES[p] + " " + e.getKey() + "/" + ref,
                            e.getValue()[p].median() / nv[p].median(),
                            ">",
                            1);
                    bounds.peer("star-" + n, p, e.getKey(), ">", 1);
                    bounds.peerKeepingPromises("star-" + n, p, e.getKey(), ">", 1);
                }
            }
            if (r.containsKey("floor")) {
                // issue 16: at the floor for N=100
                report.target(
                        "star-" + n + "-up " + ref + "/floor",
                        nv[0].median() / r.get("floor")[0].median(),
                        "<=",
                        n == 100 ? 1.2 : 1.5);
                bounds.overFloor("star-" + n, n == 100 ? 1.2 : 1.5);
                bounds.overFloorKeepingPromises("star-" + n, n == 100 ? 1.2 : 1.5);
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
