package io.github.netvirt.examples.sniffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.examples.Main;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sniffer} and {@code sniffer --mirror} without a file name capture into a temporary file; when
 * the network cannot be built (here: a JVM without CAP_NET_ADMIN and CAP_SYS_ADMIN), no capture was
 * made and no empty file is left in the temporary directory.
 */
@RequiresRoot
class SnifferLeavesNoFileOnFailureTest {
    @Test
    void aFailedRunLeavesNoTemporaryPcap(@TempDir Path tmp) throws Exception {
        for (List<String> args : List.of(List.of("sniffer"), List.of("sniffer", "--mirror"))) {
            List<String> cmd = new ArrayList<>(List.of(
                    "setpriv",
                    "--bounding-set=-net_admin,-sys_admin",
                    "--inh-caps=-all",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            if (Runtime.version().feature() >= 22) {
                cmd.add("--enable-native-access=ALL-UNNAMED");
            }
            cmd.addAll(List.of(
                    "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isNotZero();
            assertThat(out).as(args.toString()).contains("EPERM");
            try (var files = Files.list(tmp)) {
                assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".pcap")))
                        .as(args + ": " + out)
                        .isEmpty();
            }
        }
    }
}
