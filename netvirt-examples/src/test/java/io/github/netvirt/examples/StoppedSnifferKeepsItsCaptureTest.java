package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.pcap.PcapReader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sniffer FILE.pcap} stopped by SIGTERM or Ctrl-C once the UDP datagram crossed leaves a pcap
 * that holds what it captured until then, as tcpdump stopped with Ctrl-C does: not an empty file
 * (the writer's buffer went with the JVM) that tcpdump cannot read.
 */
@RequiresRoot
class StoppedSnifferKeepsItsCaptureTest {
    @ParameterizedTest(name = "sniffer {0}")
    @ValueSource(strings = {"", "--mirror"})
    void aStoppedSnifferLeavesAReadablePcap(String mode, @TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("capture.pcap");
        StoppedExample.Stopped s = mode.isEmpty()
                ? StoppedExample.at("udp a -> b", tmp, "sniffer", file.toString())
                : StoppedExample.at("udp a -> b", tmp, "sniffer", mode, file.toString());
        assertThat(Files.size(file)).as(s.output()).isPositive();
        int frames = 0;
        try (PcapReader r = PcapReader.open(file)) {
            ByteBuffer frame = ByteBuffer.allocate(70000);
            while (r.next(frame.clear()) >= 0) {
                frames++;
            }
        }
        assertThat(frames)
                .as("frames before the stop: ARP and the UDP datagram at least")
                .isGreaterThanOrEqualTo(3);
    }
}
