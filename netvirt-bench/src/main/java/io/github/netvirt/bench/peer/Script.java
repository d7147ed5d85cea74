package io.github.netvirt.bench.peer;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs one peer process to completion, as a user would from a shell, and fails loudly on a non-zero exit. */
public final class Script {
    private Script() {}

    public static void pipe(Map<String, String> env, String stdin, String... command)
            throws IOException, InterruptedException {
        File log = File.createTempFile("netvirt-bench-", ".log");
        try {
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
            pb.environment().putAll(env);
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            int rc = p.waitFor();
            if (rc != 0) {
                String out = Files.readString(log.toPath());
                throw new IOException(
                        String.join(" ", command) + " (env " + env + ") exited " + rc + ": " + out.strip());
            }
        } finally {
            log.delete();
        }
    }

    public static void run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        pipe(env, null, command);
    }

    /** Runs {@code command} ignoring its exit status: for clean-up of what may not exist. */
    public static void quietly(Map<String, String> env, String stdin, String... command) {
        try {
            pipe(env, stdin, command);
        } catch (IOException e) {
            // nothing to clean, or already cleaned
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String path(String peerFile) {
        return Peers.file(peerFile).toString();
    }

    static List<String> netnsStartingWith(String prefix) {
        try (var s = Files.list(Path.of("/run/netns"))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(prefix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
