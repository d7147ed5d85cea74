package io.github.netvirt.bench.cold;

import io.github.netvirt.bench.Stats;
import io.github.netvirt.bench.WholeProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A main class of this jar in a fresh JVM, timed as a whole process (start to exit: up() is the
 * process, which also tears down; down() has nothing left to do): {@link ColdSeed}, {@link ColdFloor}
 * or {@link ColdEmpty}. The first apply (or up) as the first two report it is kept in
 * {@link #firstApply()}.
 */
final class ColdProcess extends WholeProcess {
    private static final Pattern APPLY = Pattern.compile("cold apply_ms=([0-9.]+) ");
    private static final Pattern PHASES = Pattern.compile("cold apply_ms=.* phases (.*)");
    private final Class<?> main;
    private final String prefix;
    private final List<String> jvmOptions;
    private final Stats firstApply = new Stats();
    private final Map<String, Stats> reported = new LinkedHashMap<>();

    /** {@code main}: a class of this class path whose main takes the namespace prefix as its argument. */
    ColdProcess(String system, Class<?> main, String prefix, List<String> jvmOptions) {
        super(system);
        this.main = main;
        this.prefix = prefix;
        this.jvmOptions = jvmOptions;
    }

    /** The command line of the child: this JVM's java and class path, {@code extra} options first. */
    static List<String> command(Class<?> main, List<String> extra, String prefix) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(extra);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.add(prefix);
        return cmd;
    }

    /** Runs the child to completion; its output, or an exception carrying it when it failed. */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        String text = new String(out, StandardCharsets.UTF_8);
        if (rc != 0) {
            throw new IOException(String.join(" ", cmd) + " exited " + rc + ": " + text.strip());
        }
        return text;
    }

    /** The first applies the child reported; none for a child that reports nothing ({@link ColdEmpty}). */
    Stats firstApply() {
        return firstApply;
    }

    /**
     * The {@code cold apply_ms=} of a child's output.
     *
     * @throws IOException when the output has none
     */
    static double applyMillis(String system, String out) throws IOException {
        Matcher m = APPLY.matcher(out);
        if (!m.find()) {
            throw new IOException(system + ": no \"cold apply_ms=\" in: " + out.strip());
        }
        return Double.parseDouble(m.group(1));
    }

    /** Per phase of the first apply, as the child reported them (only {@link ColdFloor} does). */
    Map<String, Stats> reportedPhases() {
        return reported;
    }

    /**
     * The {@code name=ms} pairs after {@code phases} on a child's {@code cold} line, in their order;
     * empty when there are none.
     */
    static Map<String, Double> phaseMillis(String out) {
        Map<String, Double> m = new LinkedHashMap<>();
        Matcher line = PHASES.matcher(out);
        if (line.find()) {
            for (String kv : line.group(1).trim().split("\\s+")) {
                int eq = kv.lastIndexOf('=');
                if (eq > 0) {
                    m.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
                }
            }
        }
        return m;
    }

    @Override
    public void up() throws Exception {
        String out = run(command(main, jvmOptions, prefix));
        if (main != ColdEmpty.class) {
            firstApply.add(applyMillis(system(), out));
            phaseMillis(out)
                    .forEach((k, v) ->
                            reported.computeIfAbsent(k, x -> new Stats()).add(v));
        }
    }

    @Override
    public void down() {
        // the process closed its topology before it exited
    }

    @Override
    public void cleanup() {
        // only a killed child leaves namespaces; their names start with our prefix alone
        try (var s = Files.list(Path.of("/run/netns"))) {
            for (Path ns :
                    s.filter(n -> n.getFileName().toString().startsWith(prefix)).toList()) {
                new ProcessBuilder("ip", "netns", "del", ns.getFileName().toString())
                        .inheritIO()
                        .start()
                        .waitFor();
            }
        } catch (IOException e) {
            // no /run/netns: nothing to clean
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
