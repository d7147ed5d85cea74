package io.github.netvirt.bench.tap;

import io.github.netvirt.bench.Stats;
import io.github.netvirt.bench.peer.Script;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The C peer: {@code tap/run.sh RUNS SECONDS}, called in place. It builds tapbench.c, runs it RUNS
 * times (each run after a quiet gate of up to 30 s) and each run prints one row per measurement:
 * {@code size dir paced written_fps read_fps read_Mbps loss%}. We keep the unidirectional 0->1 rows.
 */
final class CTapPeer {
    private CTapPeer() {
    }

    /** Key "64" / "64-paced" -> read frames/s of every run; the raw output goes to {@code log}. */
    static Map<String, Stats> run(int runs, double seconds, String token, StringBuilder log)
            throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("bn-tapbench-");
        Path bin = out.resolve("tapbench");
        try {
            ProcessBuilder pb = new ProcessBuilder(Script.REFERENCE.resolve("tap/run.sh").toString(),
                    Integer.toString(runs), trim(seconds)).redirectErrorStream(true);
            pb.environment().put("BIN", bin.toString());
            pb.environment().put("OUT", out.resolve("runs").toString());
            Process p = pb.start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            log.append(text);
            if (rc != 0) {
                throw new IOException("tap/run.sh exited " + rc + ": " + text);
            }
            return parse(text);
        } finally {
            try (Stream<Path> s = Files.walk(out)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static Map<String, Stats> parse(String text) {
        Map<String, Stats> m = new LinkedHashMap<>();
        boolean inRun = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("== run")) {
                inRun = true;
                continue;
            }
            if (line.startsWith("size ") && !line.startsWith("size   dir")) {
                inRun = false; // run.sh's summary table starts: not per-run rows
            }
            String[] f = line.trim().split("\\s+");
            if (!inRun || f.length < 7 || !f[0].matches("\\d+") || !f[1].equals("0->1")) {
                continue;
            }
            String key = f[0] + (f[2].equals("yes") ? "-paced" : "");
            m.computeIfAbsent(key, k -> new Stats()).add(Double.parseDouble(f[4]));
        }
        return m;
    }

    private static String trim(double seconds) {
        return seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds);
    }

    static List<String> keys() {
        return List.of("64", "64-paced", "1500", "1500-paced");
    }
}
