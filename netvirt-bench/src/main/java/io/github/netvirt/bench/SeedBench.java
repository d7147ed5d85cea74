package io.github.netvirt.bench;

import io.github.netvirt.bench.floor.Floor;
import io.github.netvirt.bench.netvirt.NetvirtTopos;
import io.github.netvirt.bench.peer.GoPeer;
import io.github.netvirt.bench.peer.SeedBatch;
import io.github.netvirt.bench.peer.SeedRecipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The seed topology: netvirt vs the recipe's shell commands vs the same network through {@code ip -batch}. */
final class SeedBench extends Workload {
    static final String[] PHASES = {"up", "down", "total"};

    SeedBench(Main.Options o, Report report) {
        super(o, report);
    }

    @Override
    public void run() throws Exception {
        List<Topo> systems = new ArrayList<>();
        Topo netvirt = NetvirtTopos.seed("bn" + o.token + "-");
        if (netvirt != null && o.wants(netvirt.system())) {
            systems.add(netvirt);
        }
        if (o.wants("netvirt-netlink")) {
            systems.add(NetvirtTopos.seedNetlink("bn" + o.token + "l-"));
        }
        if (o.wants("floor")) {
            systems.add(Floor.seed("bn" + o.token + "f-"));
        }
        if (o.wants("floor-lo")) {
            systems.add(Floor.seed("bn" + o.token + "o-").withLoopbackUp());
        }
        if (o.wants("floor-lo2")) {
            systems.add(Floor.seed("bn" + o.token + "o2-").withLoopbackUp().onTwoThreads());
        }
        if (o.wants("floor-rec2")) {
            systems.add(Floor.seed("bn" + o.token + "r2-").withPromises().onTwoThreads());
        }
        if (o.wants("seed-recipe")) {
            systems.add(new SeedRecipe("bnp-" + o.token + "r-"));
        }
        if (o.wants("ip-batch")) {
            systems.add(new SeedBatch("bnp-" + o.token + "b-"));
        }
        if (o.wants("go-netlink")) {
            String why = GoPeer.unavailable();
            if (why == null) {
                report.note(GoPeer.NOTE);
                systems.add(GoPeer.seed("bnp-" + o.token + "g-"));
            } else {
                report.note("go-netlink skipped: " + why);
            }
        }
        Map<String, Stats[]> r = new Harness(o.warmup, o.runs, o.peerRuns(), 3000)
                .forked(Forks.of(o), report)
                .measure(systems);
        String ref = netvirt != null && r.containsKey(netvirt.system()) ? netvirt.system() : null;
        if (ref == null) {
            report.note("netvirt was not measured: no ratios");
        }
        StarBench.print(report, "seed", r, ref);
        Harness.printCpu(report, "seed", r, ref);
        Harness.printPhases(report, "seed", systems);
        FloorBounds bounds = new FloorBounds(report, r, ref, 3); // net0, net1, bridge
        if (ref != null) {
            targets(r, ref, "seed-recipe", 50, bounds);
            targets(r, ref, "ip-batch", 5, bounds);
            targets(r, ref, "go-netlink", 1, bounds);
        }
        // issue 16: netvirt at the floor; netvirt-netns's namespace creation at the floor's
        if (ref != null && r.containsKey("floor")) {
            report.pairedTarget("seed-up " + ref + "/floor", r.get(ref)[0], r.get("floor")[0], "<=", 1.3);
            bounds.overFloor("seed", 1.3);
            bounds.overFloorKeepingPromises("seed", 1.3);
        }
        Phases nl = phasesOf(systems, "netvirt-netlink");
        Phases fl = phasesOf(systems, "floor");
        if (nl != null && fl != null && !Double.isNaN(nl.median("NetNamespace.create"))) {
            String what = "seed-up phase NetNamespace.create (netvirt-netlink) / namespaces+sockets (floor)";
            double floorBoth = fl.median(Floor.NAMESPACES, Floor.SOCKETS);
            report.target(what, nl.median("NetNamespace.create") / floorBoth, "<=", 1.2);
            Phases lo = phasesOf(systems, "floor-lo");
            Phases lo2 = phasesOf(systems, "floor-lo2");
            FloorBounds.createPhase(
                    report,
                    what,
                    nl.medians(),
                    floorBoth,
                    lo == null ? null : lo.medians(),
                    lo2 == null ? null : lo2.medians(),
                    1.2);
        }
    }

    static Phases phasesOf(List<Topo> systems, String system) {
        for (Topo t : systems) {
            if (t.system().equals(system) && t.phases() != null && !t.phases().isEmpty()) {
                return t.phases();
            }
        }
        return null;
    }

    /** The targets {@code peer/ref >= factor} of every phase, each followed by its bound. */
    private void targets(Map<String, Stats[]> r, String ref, String peer, double factor, FloorBounds bounds) {
        if (!r.containsKey(peer)) {
            return;
        }
        for (int p = 0; p < PHASES.length; p++) {
            report.pairedTarget(
                    "seed-" + PHASES[p] + " " + peer + "/" + ref, r.get(peer)[p], r.get(ref)[p], ">=", factor);
            bounds.peer("seed", p, peer, ">=", factor);
            bounds.peerKeepingPromises("seed", p, peer, ">=", factor);
        }
    }
}
