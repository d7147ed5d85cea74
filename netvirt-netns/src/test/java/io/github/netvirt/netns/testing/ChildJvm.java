package io.github.netvirt.netns.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a test class's {@code main} in a child JVM (this JVM's java and class path), optionally with fewer capabilities. */
public final class ChildJvm {
    private ChildJvm() {}

    /**
     * Runs {@code main} under {@code setpriv --bounding-set -sys_admin --inh-caps -sys_admin}: a root
     * process that can open namespaces but not enter them ({@code setns} answers EPERM). Returns what
     * it printed (stdout and stderr); fails if it does not exit within {@code timeoutSeconds}.
     */
    public static String runWithoutSysAdmin(Class<?> main, int timeoutSeconds, String... args) throws Exception {
        List<String> cmd =
                new ArrayList<>(List.of("setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin"));
        return run(cmd, main, timeoutSeconds, args);
    }

    public static String run(Class<?> main, int timeoutSeconds, String... args) throws Exception {
        return run(new ArrayList<>(), main, timeoutSeconds, args);
    }

    /** Runs {@code main} under the command {@code prefix} (such as {@code unshare --pid --fork}), as {@link #run}. */
    public static String runUnder(List<String> prefix, Class<?> main, int timeoutSeconds, String... args)
            throws Exception {
        return run(new ArrayList<>(prefix), main, timeoutSeconds, args);
    }

    /** Starts {@code main} with the JVM options {@code jvmOptions}, its stderr merged into its stdout. */
    public static Process start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        javaCommand(cmd, jvmOptions, main, args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /**
     * Starts {@code main} with the JVM options {@code jvmOptions} (e.g. {@code -Dnetvirt.run.dir=...})
     * and reads its output (stdout and stderr) until a line starts with {@code marker}; fails when it
     * ends without one. The caller ends the process.
     */
    public static Process startUntil(String marker, List<String> jvmOptions, Class<?> main, String... args)
            throws Exception {
        List<String> cmd = new ArrayList<>();
        javaCommand(cmd, jvmOptions, main, args);
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = r.readLine()) != null && !line.startsWith(marker)) {
            lines.add(line);
        }
        if (line == null) {
            child.destroyForcibly().waitFor();
        }
        assertThat(line).as("child output %s", lines).startsWith(marker);
        return child;
    }

    /** The lines {@code out} gives up to the first that starts with {@code marker}, that one included. */
    public static List<String> linesUntil(BufferedReader out, String marker) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l; (l = out.readLine()) != null; ) {
            lines.add(l);
            if (l.startsWith(marker)) {
                break;
            }
        }
        return lines;
    }

    private static void javaCommand(List<String> cmd, List<String> jvmOptions, Class<?> main, String... args) {
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED"); // else JNA's warning is the child's first output
        }
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
    }

    private static String run(List<String> cmd, Class<?> main, int timeoutSeconds, String... args) throws Exception {
        javaCommand(cmd, List.of(), main, args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                synchronized (out) {
                    out.append(s);
                }
            } catch (IOException ignored) {
                // the child was killed
            }
        });
        reader.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                reader.join(5000);
                synchronized (out) {
                    throw new AssertionError("child JVM " + main.getSimpleName() + " still running after "
                            + timeoutSeconds + " s (killed); it printed:\n" + out);
                }
            }
        } finally {
            p.destroyForcibly();
        }
        reader.join(5000);
        synchronized (out) {
            return out.toString();
        }
    }
}
