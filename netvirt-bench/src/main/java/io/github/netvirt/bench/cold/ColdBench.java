package io.github.netvirt.bench.cold;

import io.github.netvirt.bench.Harness;
import io.github.netvirt.bench.Main;
import io.github.netvirt.bench.Report;
import io.github.netvirt.bench.Stats;
import io.github.netvirt.bench.Topo;
import io.github.netvirt.bench.Workload;
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
        List<ColdProcess> cold = new ArrayList<>();
        if (o.wants("netvirt-cold")) {
            cold.add(new ColdProcess("netvirt-cold", "bn" + o.token + "c-", List.of()));
        }
        Path tmp = null;
        if (o.wants("netvirt-cold-cds")) {
            String why = cdsUnusable();
            if (why != null) {
                report.note("netvirt-cold-cds skipped: " + why);
            } else {
                tmp = Files.createTempDirectory("netvirt-bench-cds-");
                Path jsa = tmp.resolve("cold.jsa");
                // the training run: the classes one apply and close load, lambdas included
                ColdProcess.run(ColdProcess.command(List.of("-XX:ArchiveClassesAtExit=" + jsa), "bn" + o.token + "t-"));
                report.note("AppCDS archive made by one training run: java -XX:ArchiveClassesAtExit="
                        + jsa.getFileName() + " -cp <bench jar> " + ColdSeed.class.getName() + " ("
                        + Files.size(jsa) / 1024 + " KiB)");
                cold.add(new ColdProcess(
                        "netvirt-cold-cds", "bn" + o.token + "d-", List.of("-XX:SharedArchiveFile=" + jsa)));
                if (o.wants("netvirt-cold-cds-c1")) {
                    // the usual flags for a short-lived JVM: no C2 compiler threads, no G1 threads
                    cold.add(new ColdProcess(
                            "netvirt-cold-cds-c1",
                            "bn" + o.token + "e-",
                            List.of("-XX:SharedArchiveFile=" + jsa, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")));
                }
            }
        }
        systems.addAll(cold);
        if (o.wants("ip-batch")) {
            systems.add(new SeedBatch("bnp-" + o.token + "b-"));
        }
        if (o.wants("seed-recipe")) {
            systems.add(new SeedRecipe("bnp-" + o.token + "r-"));
        }
        try {
            Map<String, Stats[]> r = new Harness(o.warmup, o.runs, o.peerRuns(), 3000).measure(systems);
            Map<String, Stats> apply = new LinkedHashMap<>();
            apply.put(warm.system(), r.get(warm.system())[0]);
            for (ColdProcess c : cold) {
                apply.put(c.system(), c.firstApply());
            }
            report.workload("cold-first-apply", "ms", apply, warm.system());
            // a whole process: the cold JVM's up() already tore down; the peers need up and down
            Map<String, Stats> process = new LinkedHashMap<>();
            for (Map.Entry<String, Stats[]> e : r.entrySet()) {
                if (!e.getKey().equals(warm.system())) {
                    process.put(e.getKey(), e.getValue()[e.getKey().startsWith("netvirt-cold") ? 0 : 2]);
                }
            }
            String ref = cold.isEmpty() ? null : cold.get(0).system();
            report.workload("cold-process", "ms", process, ref);
            for (ColdProcess c : cold) {
                report.target(
                        "cold-first-apply " + c.system() + "/" + warm.system(),
                        c.firstApply().median() / apply.get(warm.system()).median(),
                        "<=",
                        3);
                if (process.containsKey("ip-batch")) {
                    report.target(
                            "cold-process ip-batch/" + c.system(),
                            process.get("ip-batch").median()
                                    / process.get(c.system()).median(),
                            ">",
                            1);
                }
            }
        } finally {
            if (tmp != null) {
                Peers.delete(tmp);
            }
        }
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
