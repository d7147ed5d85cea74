package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs an example the way its {@code main} does, with what it prints captured. */
public final class ExampleOutput {
    /** An example's entry point: prints to {@code out}, returns its exit code. */
    public interface Run {
        int run(PrintStream out) throws Exception;
    }

    private ExampleOutput() {}

    /** Runs {@code example}, asserts that it exited 0 (its output is the failure's description) and returns its output. */
    public static String ofSuccess(Run example) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = example.run(new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isZero();
        return out;
    }
}
