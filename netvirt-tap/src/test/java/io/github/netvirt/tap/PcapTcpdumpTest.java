package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.pcap.PcapWriter;
import io.github.netvirt.tap.pcap.TimestampPrecision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Frames exchanged with the kernel through a TAP, captured by PcapWriter, read back by tcpdump. */
@RequiresRoot
class PcapTcpdumpTest {
    static boolean tcpdumpPresent() {
        return Files.isExecutable(Path.of("/usr/bin/tcpdump")) || Files.isExecutable(Path.of("/usr/sbin/tcpdump"));
    }

    static List<String> tcpdump(Path file, String... more) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("tcpdump", "-n", "-r", file.toString()));
        cmd.addAll(List.of(more));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tcpdump -r exit code").isZero();
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    @ParameterizedTest
    @EnumSource(TimestampPrecision.class)
    void aCaptureOfArpAndPingOpensInTcpdumpWithTheSameFrameCount(TimestampPrecision precision, @TempDir Path dir)
            throws Exception {
        assumeTrue(tcpdumpPresent() || System.getenv("CI") != null,
                "SKIPPED: tcpdump is not installed (apt-get install -y tcpdump)");
        Path file = dir.resolve("tp-" + precision + ".pcap");
        KernelAnswersTest exchange = new KernelAnswersTest();
        long frames;
        exchange.tapWithAnAddress();
        try (PcapWriter w = PcapWriter.create(file, precision)) {
            exchange.pcap = w;
            exchange.arpExchange();
            for (int seq = 1; seq <= 5; seq++) {
                exchange.echoExchange(seq);
            }
            frames = w.frameCount();
        } finally {
            exchange.close();
        }
        List<String> lines = tcpdump(file);
        assertThat(lines).hasSize((int) frames);
        assertThat(frames).isGreaterThanOrEqualTo(12);
        assertThat(String.join("\n", lines)).contains("ARP, Request who-has 10.77.0.1 tell 10.77.0.2",
                "ARP, Reply 10.77.0.1 is-at", "10.77.0.2 > 10.77.0.1: ICMP echo request, id 29808, seq 1",
                "10.77.0.1 > 10.77.0.2: ICMP echo reply, id 29808, seq 5");
        // -vv makes tcpdump verify the IPv4 and ICMP checksums of our frames and the kernel's
        String verbose = String.join("\n", tcpdump(file, "-vv"));
        assertThat(verbose).doesNotContain("bad cksum").doesNotContain("wrong icmp cksum");
    }
}
