package io.github.netvirt.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.bench.peer.Script;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Assumptions;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/** state-dump.sh of the reference (IPv4 only), without its header line, which names the prefix. */
public final class StateDump {
    private StateDump() {
    }

    /** Skips the calling test (with a message) when the reference scripts are not on this machine. */
    public static void assumeReference() {
        Assumptions.assumeTrue(Files.isDirectory(Script.REFERENCE),
                "reference scripts not found at " + Script.REFERENCE + " (set -Dnetvirt.reference=DIR)");
    }

    public static String of(String prefix) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(Script.REFERENCE.resolve("state-dump.sh").toString(), "--no-ipv6", prefix)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().filter(l -> !l.strip().startsWith("#")).collect(Collectors.joining("\n"));
    }
}
