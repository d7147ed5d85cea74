package io.github.netvirt.examples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar netvirt-examples.jar ARGS} in a JVM of its own, stopped with SIGTERM (what a
 * shell's {@code kill} sends; Ctrl-C's SIGINT runs the same shutdown) or SIGKILL once it has printed
 * a line containing a given text.
 */
final class StoppedExample {
    /** What the stopped JVM printed (stdout and stderr), and its exit code. */
    record Stopped(String output, int exitCode) {}

    private StoppedExample() {}

    /** Runs {@link Main} with {@code args} and {@code tmp} as its temporary directory; SIGTERM at {@code line}. */
    static Stopped at(String line, Path tmp, String... args) throws Exception {
        return stop(line, tmp, false, args);
    }

    /** As {@link #at}, with SIGKILL ({@code kill -9}): nothing of the JVM runs after it. */
    static Stopped killedAt(String line, Path tmp, String... args) throws Exception {
        return stop(line, tmp, true, args);
    }

    private static Stopped stop(String line, Path tmp, boolean kill, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(
                List.of("-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            boolean sent = false;
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                out.append(l).append('\n');
                if (!sent && l.contains(line)) {
                    if (kill) {
                        p.toHandle().destroyForcibly();
                    } else {
                        p.toHandle().destroy(); // SIGTERM; Process.destroy() would also close its output
                    }
                    sent = true;
                }
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("still running 30 s after SIGTERM: " + out);
            }
            if (!sent) {
                throw new AssertionError("never printed \"" + line + "\" (exit " + p.exitValue() + "): " + out);
            }
        }
        return new Stopped(out.toString(), p.exitValue());
    }
}
