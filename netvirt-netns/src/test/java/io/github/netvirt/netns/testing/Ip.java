package io.github.netvirt.netns.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2 (and the few other tools tests use) to check what netvirt did from the outside. Never
 * used by the library. A missing tool fails the test with its name.
 */
public final class Ip {
    private Ip() {}

    public record Result(int exitCode, String out, String err) {
        /** This result, or an AssertionError with its exit code and output unless that is 0. */
        public Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + ": " + err + out);
            }
            return this;
        }
    }

    /** Runs {@code ip args...}; returns its result whatever the exit code. */
    public static Result run(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    /** Runs {@code ip args...} and returns stdout, failing on a non-zero exit code. */
    public static String ok(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("ip " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.err());
        }
        return r.out();
    }

    public static Result exec(List<String> cmd) {
        return execWithInput(cmd, "");
    }

    /** Runs {@code cmd} with {@code stdin} as its standard input; returns its result whatever the exit code. */
    public static Result execWithInput(List<String> cmd, String stdin) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(
                    p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot run " + cmd.get(0) + " (" + String.join(" ", cmd) + "): the tests need " + cmd.get(0)
                            + " on the PATH (see README.md, Requirements)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
