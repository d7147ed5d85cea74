package io.github.netvirt.bench.tap;

import io.github.netvirt.bench.peer.Peers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /**
     * Runs the program once for {@code size}-byte frames (unpaced, then paced) and returns its two
     * measurements; its output goes to {@code log}.
     */
    static List<TapSample> run(double seconds, int size, StringBuilder log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(build().toString(), "-t", Double.toString(seconds), "-s", Integer.toString(size))
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        log.append(text);
        if (rc != 0) {
            throw new IOException("tap-peer exited " + rc + ": " + text);
        }
        return samples(text, seconds);
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

    /**
     * One sample per "result" line of {@code text}, in order: read_fps, the lower of the two
     * *_cpu_fps, and the CPU-wait shares of the "# coupling" line of the same measurement (NaN
     * without one); {@code seconds} is the measurement's length.
     */
    static List<TapSample> samples(String text, double seconds) {
        List<TapSample> out = new ArrayList<>();
        Map<String, Map<String, String>> coupling = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# coupling ")) {
                Map<String, String> f = fields(line.substring(11));
                coupling.put(key(f), f);
            }
        }
        for (String line : text.split("\n")) {
            if (!line.startsWith("result ")) {
                continue;
            }
            Map<String, String> f = fields(line.substring(7));
            Map<String, String> c = coupling.getOrDefault(key(f), Map.of());
            out.add(new TapSample(
                    key(f),
                    "c",
                    Double.parseDouble(f.get("read_fps")),
                    Math.min(
                            Double.parseDouble(f.getOrDefault("writer_cpu_fps", "NaN")),
                            Double.parseDouble(f.getOrDefault("reader_cpu_fps", "NaN"))),
                    Double.parseDouble(c.getOrDefault("writer_cpu_wait_ms", "NaN")) / (seconds * 1e3),
                    Double.parseDouble(c.getOrDefault("reader_cpu_wait_ms", "NaN")) / (seconds * 1e3)));
        }
        return out;
    }

    private static String key(Map<String, String> f) {
        return f.get("size") + ("yes".equals(f.get("paced")) ? "-paced" : "");
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String kv : text.trim().split("\\s+")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                f.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return f;
    }

    static List<String> keys() {
        return List.of("64", "64-paced", "1500", "1500-paced");
    }
}
