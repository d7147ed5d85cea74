package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.NetNamespace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each example refuses arguments it does not take, before it builds anything (exit 2, with its usage
 * line), and prints its usage for {@code --help} (exit 0) instead of running.
 */
class ExampleArgumentsTest {

    @Test
    void anUnknownOptionIsNotTakenForTheSniffersFileName() throws Exception {
        Path file = Path.of("--foo");
        try {
            assertThat(Main.run("sniffer", "--foo")).isEqualTo(2);
            assertThat(file).doesNotExist();
            assertThat(Main.run("sniffer", "--mirror", "a.pcap", "b.pcap")).isEqualTo(2);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void anOptionIsNotTakenForSeedsPrefix() throws Exception {
        // else "seed --prefix --keep" builds namespaces named --keepnet0 ..., which `ip netns del` takes for an option
        assertThat(Main.run("seed", "--prefix", "--down")).isEqualTo(2);
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsBuilt() throws Exception {
        List<String> before = NetNamespace.list();
        assertThat(Main.run("userspace-host", "abc")).isEqualTo(2);
        assertThat(Main.run("userspace-host", "-1")).isEqualTo(2);
        assertThat(Main.run("http-integration", "extra")).isEqualTo(2);
        assertThat(Main.run("two-machines", "extra")).isEqualTo(2);
        assertThat(Main.run("tls-hostname", "extra")).isEqualTo(2);
        assertThat(Main.run("seed", "--nope")).isEqualTo(2);
        assertThat(NetNamespace.list()).isEqualTo(before);
    }

    @Test
    void helpListsTheExamplesOnStandardOutput() throws Exception {
        PrintStream out = System.out;
        for (String help : List.of("--help", "-h")) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                assertThat(Main.run(help)).as(help).isZero();
            } finally {
                System.setOut(out);
            }
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .as(help)
                    .startsWith("usage: java -jar netvirt-examples.jar EXAMPLE [ARGS...]")
                    .hasLineCount(1 + Main.EXAMPLES.size());
        }
    }

    @Test
    void helpPrintsTheUsageInsteadOfRunning() throws Exception {
        PrintStream out = System.out;
        for (Example e : Main.EXAMPLES) {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                assertThat(Main.run(e.name(), "--help")).as(e.name()).isZero();
            } finally {
                System.setOut(out);
            }
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .as(e.name())
                    .startsWith("usage: java -jar netvirt-examples.jar " + e.name())
                    .hasLineCount(2);
        }
    }
}
