package io.github.netvirt.bench.cold;

import io.github.netvirt.bench.Harness;
import io.github.netvirt.bench.Main;
import io.github.netvirt.bench.Report;
import io.github.netvirt.bench.Stats;
import io.github.netvirt.bench.Topo;
import io.github.netvirt.bench.Workload;
import io.github.netvirt.bench.floor.Floor;
import io.github.netvirt.bench.netvirt.NetvirtTopos;
import io.github.netvirt.bench.peer.Peers;
import io.github.netvirt.bench.peer.SeedBatch;
import io.github.netvirt.bench.peer.SeedRecipe;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed from a fresh JVM: {@code netvirt-cold} starts {@link ColdSeed} once per run and reports
 * its first {@code apply()} and the whole process (start to exit, apply and close included);
 * {@code netvirt-cold-cds} does the same with an AppCDS archive of the classes that process loads
 * (made once, off the clock, with {@code -XX:ArchiveClassesAtExit}); {@code netvirt-cold-cds-c1} adds
 * {@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}. Against them, in the same
 * rounds: netvirt's warm apply in this JVM, and the peers' up plus down as whole processes.
 *
 * <p>And the floors the targets meet, in the same rounds: {@code floor-cold} ({@link ColdFloor}: the
 * seed by the bench's bare syscalls in a fresh JVM, its first up and its whole process;
 * {@code floor-cold-cds} with an AppCDS archive made the same way), {@code jvm-empty}
 * ({@link ColdEmpty}: netvirt-cold's JVM with a main that does nothing) and the bare syscalls' warm
 * up ({@code floor}). The {@code # bound} lines give each target's ratio as it would be if netvirt
 * cost nothing over them.
 */
public final class ColdBench extends Workload {

    public ColdBench(Main.Options o, Report report) {
        super(o, report);
    }

    @Override
    public void run() throws Exception {
        List<Topo> systems = new ArrayList<>();
        Topo warm = NetvirtTopos.seed("bn" + o.token + "-");
        systems.add(warm);
        Floor warmFloor = o.wants("floor") ? Floor.seed("bn" + o.token + "w-") : null;
        if (warmFloor != null) {
            systems.add(warmFloor);
        }
        List<ColdProcess> cold = new ArrayList<>();
        List<ColdProcess> floors = new ArrayList<>();
        ColdProcess empty = null;
        if (o.wants("netvirt-cold")) {
            cold.add(new ColdProcess("netvirt-cold", ColdSeed.class, "bn" + o.token + "c-", List.of()));
        }
        if (o.wants("floor-cold")) {
            floors.add(new ColdProcess("floor-cold", ColdFloor.class, "bn" + o.token + "f-", List.of()));
        }
        Path tmp = null;
        if (o.wants("netvirt-cold-cds") || o.wants("floor-cold-cds")) {
            String why = cdsUnusable();
            if (why != null) {
                for (String s : new String[] {"netvirt-cold-cds", "floor-cold-cds"}) {
                    if (o.wants(s)) {
                        report.note(s + " skipped: " + why);
                    }
                }
            } else {
                tmp = Files.createTempDirectory("netvirt-bench-cds-");
                if (o.wants("netvirt-cold-cds")) {
                    String cds = archive(tmp.resolve("cold.jsa"), ColdSeed.class, "bn" + o.token + "t-");
                    cold.add(new ColdProcess("netvirt-cold-cds", ColdSeed.class, "bn" + o.token + "d-", List.of(cds)));
                    if (o.wants("netvirt-cold-cds-c1")) {
                        // the usual flags for a short-lived JVM: no C2 compiler threads, no G1 threads
                        cold.add(new ColdProcess(
                                "netvirt-cold-cds-c1",
                                ColdSeed.class,
                                "bn" + o.token + "e-",
                                List.of(cds, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")));
                    }
                }
                if (o.wants("floor-cold-cds")) {
                    String cds = archive(tmp.resolve("floor.jsa"), ColdFloor.class, "bn" + o.token + "u-");
                    floors.add(new ColdProcess("floor-cold-cds", ColdFloor.class, "bn" + o.token + "g-", List.of(cds)));
                }
            }
        }
        if (o.wants("jvm-empty")) {
            // netvirt-cold's java, options and class path; nothing loads but the main class
            empty = new ColdProcess("jvm-empty", ColdEmpty.class, "bn" + o.token + "j-", List.of());
        }
        systems.addAll(cold);
        systems.addAll(floors);
        if (empty != null) {
            systems.add(empty);
        }
        if (o.wants("ip-batch")) {
            systems.add(new SeedBatch("bnp-" + o.token + "b-"));
        }
        if (o.wants("seed-recipe")) {
            systems.add(new SeedRecipe("bnp-" + o.token + "r-"));
        }
        List<ColdProcess> processes = new ArrayList<>(cold);
        processes.addAll(floors);
        try {
            Map<String, Stats[]> r = new Harness(o.warmup, o.runs, o.peerRuns(), 3000).measure(systems);
            Map<String, Stats> apply = new LinkedHashMap<>();
            apply.put(warm.system(), r.get(warm.system())[0]);
            if (warmFloor != null) {
                apply.put(warmFloor.system(), r.get(warmFloor.system())[0]);
            }
            for (ColdProcess c : processes) {
                apply.put(c.system(), c.firstApply());
            }
            report.workload("cold-first-apply", "ms", apply, warm.system());
            // where the first up goes, in a fresh JVM and in this warm one
            Harness.printPhases(report, "cold", systems);
            for (ColdProcess f : floors) {
                StringBuilder b = new StringBuilder();
                f.reportedPhases()
                        .forEach((k, v) -> b.append(' ').append(k).append('=').append(Report.fmt(v.median())));
                report.note("phases cold-up " + f.system() + " (median ms):" + b);
            }
            // a whole process: a cold JVM's up() already tore down; the peers need up and down
            Map<String, Stats> process = new LinkedHashMap<>();
            for (Topo t : systems) {
                if (t.wholeProcess()) {
                    process.put(t.system(), r.get(t.system())[t instanceof ColdProcess ? 0 : 2]);
                }
            }
            String ref = cold.isEmpty() ? null : cold.get(0).system();
            report.workload("cold-process", "ms", process, ref);
            if (process.containsKey("ip-batch")) {
                report.ratios("cold-process", process, "ip-batch");
            }
            for (ColdProcess c : cold) {
                report.pairedTarget(
                        "cold-first-apply " + c.system() + "/" + warm.system(),
                        c.firstApply(),
                        apply.get(warm.system()),
                        "<=",
                        3);
                if (process.containsKey("ip-batch")) {
                    report.pairedTarget(
                            "cold-process ip-batch/" + c.system(),
                            process.get("ip-batch"),
                            process.get(c.system()),
                            ">",
                            1);
                }
            }
            bounds(warm.system(), warmFloor, apply, process, floors, empty);
        } finally {
            if (tmp != null) {
                Peers.delete(tmp);
            }
        }
    }

    /**
     * The {@code # bound} lines: the targets' ratios as they would be if netvirt cost nothing over
     * the bare syscalls in a fresh JVM ({@code floor-cold*}), or nothing beyond the JVM's start and
     * exit ({@code jvm-empty}), all measured in the same rounds.
     */
    private void bounds(
            String warm,
            Floor warmFloor,
            Map<String, Stats> apply,
            Map<String, Stats> process,
            List<ColdProcess> floors,
            ColdProcess empty) {
        double warmApply = apply.get(warm).median();
        for (ColdProcess f : floors) {
            report.bound(
                    "cold-first-apply " + f.system() + "/" + warm,
                    f.firstApply().median() / warmApply,
                    "<=",
                    3,
                    "the seed's first up by the bare syscalls in a fresh JVM (" + f.system()
                            + ": Floor.seed, JNA direct mapping and hand-encoded netlink, no netvirt code but its"
                            + " libc binding) over netvirt's warm apply: the target's ratio if netvirt's first"
                            + " apply cost nothing over them",
                    Report.ONE_THREAD);
            if (warmFloor != null) {
                report.bound(
                        "cold-first-apply " + f.system() + "/" + warmFloor.system(),
                        f.firstApply().median() / apply.get(warmFloor.system()).median(),
                        "<=",
                        3,
                        "the bare syscalls' own first up in a fresh JVM over their warm up in this JVM: the"
                                + " fresh-JVM factor of code that does nothing but the system calls",
                        Report.ONE_THREAD);
            }
        }
        if (!process.containsKey("ip-batch")) {
            return;
        }
        double ipBatch = process.get("ip-batch").median();
        if (empty != null) {
            report.bound(
                    "cold-process ip-batch/" + empty.system(),
                    ipBatch / process.get(empty.system()).median(),
                    ">",
                    1,
                    "ip -batch's whole process (the seed up and down) over a JVM with netvirt-cold's java,"
                            + " options and class path whose main does nothing: the target's ratio if netvirt's"
                            + " process cost nothing beyond the JVM's start and exit");
        }
        for (ColdProcess f : floors) {
            report.bound(
                    "cold-process ip-batch/" + f.system(),
                    ipBatch / process.get(f.system()).median(),
                    ">",
                    1,
                    "ip -batch's whole process over a fresh JVM that makes and removes the seed with the bare"
                            + " syscalls: the target's ratio if netvirt cost nothing over them in a fresh JVM",
                    Report.ONE_THREAD);
        }
        if (empty != null) {
            double e = process.get(empty.system()).median();
            StringBuilder b = new StringBuilder("cold-process beyond the JVM's start and exit (median minus "
                    + empty.system() + "'s " + Report.fmt(e) + " ms):");
            for (Map.Entry<String, Stats> p : process.entrySet()) {
                if (!p.getKey().equals(empty.system())
                        && !p.getKey().startsWith("ip-batch")
                        && !p.getKey().startsWith("seed-recipe")) {
                    b.append(' ')
                            .append(p.getKey())
                            .append('=')
                            .append(Report.fmt(p.getValue().median() - e));
                }
            }
            report.note(b + " ms");
        }
    }

    /**
     * Makes an AppCDS archive of the classes {@code main} loads, by one training run off the clock;
     * returns the JVM option that starts a process with it.
     */
    private String archive(Path jsa, Class<?> main, String prefix) throws Exception {
        ColdProcess.run(ColdProcess.command(main, List.of("-XX:ArchiveClassesAtExit=" + jsa), prefix));
        report.note("AppCDS archive made by one training run: java -XX:ArchiveClassesAtExit=" + jsa.getFileName()
                + " -cp <bench jar> " + main.getName() + " (" + Files.size(jsa) / 1024 + " KiB)");
        return "-XX:SharedArchiveFile=" + jsa;
    }

    /** Why the class path cannot be archived (AppCDS takes jar files only), or null. */
    private static String cdsUnusable() {
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.endsWith(".jar") || !Files.isRegularFile(Path.of(e))) {
                return "AppCDS archives a class path of jar files only, and " + e + " is not one (run the bench's jar)";
            }
        }
        return null;
    }
}
