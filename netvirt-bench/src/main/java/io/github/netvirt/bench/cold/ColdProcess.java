package io.github.netvirt.bench.cold;

import io.github.netvirt.bench.Stats;
import io.github.netvirt.bench.WholeProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ColdSeed} in a fresh JVM, timed as a whole process (start to exit: up() is the process,
 * which also tears down; down() has nothing left to do), with the first apply as the process
 * reports it kept in {@link #firstApply()}.
 */
final class ColdProcess extends WholeProcess {
    private static final Pattern APPLY = Pattern.compile("cold apply_ms=([0-9.]+) ");
    private final String prefix;
    private final List<String> jvmOptions;
    private final Stats firstApply = new Stats();

    ColdProcess(String system, String prefix, List<String> jvmOptions) {
        super(system);
        this.prefix = prefix;
        this.jvmOptions = jvmOptions;
    }

    /** The command line of the child: this JVM's java and class path, {@code extra} options first. */
    static List<String> command(List<String> extra, String prefix) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(extra);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ColdSeed.class.getName());
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

    Stats firstApply() {
        return firstApply;
    }

    @Override
    public void up() throws Exception {
        String out = run(command(jvmOptions, prefix));
        Matcher m = APPLY.matcher(out);
        if (!m.find()) {
            throw new IOException(system() + ": no \"cold apply_ms=\" in: " + out.strip());
        }
        firstApply.add(Double.parseDouble(m.group(1)));
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
