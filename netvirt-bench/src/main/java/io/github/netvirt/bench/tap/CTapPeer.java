package io.github.netvirt.bench.tap;

import io.github.netvirt.bench.Stats;
import io.github.netvirt.bench.peer.Peers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The C peer, {@code peers/tap-peer.c}: compiled once per run with the machine's C compiler ({@code gcc},
 * else {@code cc}), then run once per round, a fresh process each time. Each run prints one line per
 * measurement: {@code result size=64 paced=no written_fps=.. read_fps=.. loss_pct=..}.
 */
final class CTapPeer {
    private static Path binary;

    private CTapPeer() {}

    /** The C compiler on {@code PATH}, if any: without one the bench measures netvirt alone and says so. */
    static Optional<String> compiler() {
        for (String cc : List.of("gcc", "cc")) {
            for (String dir :
                    System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, cc))) {
                    return Optional.of(Path.of(dir, cc).toString());
                }
            }
        }
        return Optional.empty();
    }

    /** Key "64" / "64-paced" -> read frames/s of one run; the program's output goes to {@code log}. */
    static Map<String, Stats> run(double seconds, StringBuilder log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(build().toString(), "-t", Double.toString(seconds))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        log.append(text);
        if (rc != 0) {
            throw new IOException("tap-peer exited " + rc + ": " + text);
        }
        return parse(text);
    }

    /**
     * Compiles {@code peers/tap-peer.c} (once per run) and returns the program.
     *
     * @throws IOException when there is no C compiler or it fails
     */
    static synchronized Path build() throws IOException, InterruptedException {
        if (binary == null) {
            String cc = compiler().orElseThrow(() -> new IOException("no C compiler (gcc or cc) on PATH"));
            Path src = Peers.file("tap-peer.c");
            Path bin = src.resolveSibling("tap-peer");
            Process p = new ProcessBuilder(cc, "-O2", "-Wall", "-pthread", "-o", bin.toString(), src.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(cc + " could not build " + src + ": " + out);
            }
            binary = bin;
        }
        return binary;
    }

    static Map<String, Stats> parse(String text) {
        return results(text, "read_fps", f -> Double.parseDouble(f.get("read_fps")));
    }

    /**
     * Key "64" / "64-paced" -> the rate on CPUs of its own ({@link TapRun#cpuFps}): the lower of the
     * writer's and the reader's frames per CPU-second.
     */
    static Map<String, Stats> parseCpu(String text) {
        return results(
                text,
                "writer_cpu_fps",
                f -> Math.min(
                        Double.parseDouble(f.get("writer_cpu_fps")), Double.parseDouble(f.get("reader_cpu_fps"))));
    }

    /** The {@code value} of each "result" line that has {@code field}, by key "64" / "64-paced". */
    private static Map<String, Stats> results(String text, String field, ToDoubleFunction<Map<String, String>> value) {
        Map<String, Stats> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("result ") || !line.contains(field + "=")) {
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            for (String kv : line.substring(7).trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    f.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            String key = f.get("size") + ("yes".equals(f.get("paced")) ? "-paced" : "");
            m.computeIfAbsent(key, k -> new Stats()).add(value.applyAsDouble(f));
        }
        return m;
    }

    static List<String> keys() {
        return List.of("64", "64-paced", "1500", "1500-paced");
    }
}
