package io.github.netvirt.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.sys.SyscallException;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.PacketCapture;
import io.github.netvirt.tap.testing.PcapFrames;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Topology#capture}: a router's port seen while TCP crosses it; close() finishes open captures. */
@RequiresRoot
class CaptureTest {
    @TempDir
    Path dir;

    @Test
    void aRouterPortCarriesTheHandshakeBothWaysAndCloseFinishesTheFile() throws Exception {
        Path file = dir.resolve("r-h2.pcap");
        PacketCapture capture;
        try (Topology t = Seeds.routed().ephemeral().apply()) {
            capture = t.capture("r", "r-h2", file);
            assertThat(Tcp.echo(t.namespace("h1"), t.namespace("h2"), "10.2.0.2", 5600, "seen"))
                    .isEqualTo("seen");
        } // the topology closes the capture it started
        assertThat(capture.isOpen()).isFalse();
        List<String> tcp = PcapFrames.tcp(file);
        // what a failure says tells frames the file lacks (a reader that stopped early) from frames the
        // kernel dropped
        assertThat(tcp)
                .as(
                        "TCP frames of %s (%d written, %d dropped by the kernel; every frame's length: %s)",
                        capture,
                        capture.frameCount(),
                        capture.dropCount(),
                        PcapFrames.lines(file, (v, b) -> String.valueOf(b.remaining())))
                .containsSubsequence("SYN 10.1.0.2 > 10.2.0.2:5600", "SYN+ACK 10.2.0.2:5600 > 10.1.0.2");
        assertThat((long) tcp.size()).isLessThanOrEqualTo(capture.frameCount());
    }

    @Test
    void unknownNamespacesAndDevicesAreNamed() throws Exception {
        try (Topology t = Topology.create().ephemeral().ns("solo").apply()) {
            assertThatThrownBy(() -> t.capture("nope", "eth0", dir.resolve("x.pcap")))
                    .isInstanceOf(NoSuchElementException.class)
                    .hasMessageContaining("nope");
            assertThatThrownBy(() -> t.capture("solo", "eth9", dir.resolve("y.pcap")))
                    .isInstanceOf(SyscallException.class)
                    .hasMessageContaining("eth9");
            try (PacketCapture lo = t.capture("solo", "lo", dir.resolve("lo.pcap"))) {
                assertThat(lo.file()).exists();
            }
        }
    }
}
