package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller interrupted before a capture starts gets a {@link CancellationException} with its interrupt
 * status kept, as from {@code TapDevice.open} and {@code NetlinkHandle.open}: not an
 * {@link IllegalStateException} that has swallowed the interrupt.
 */
@RequiresRoot
class CaptureOfAnInterruptedCallerTest {
    @TempDir
    Path dir;

    @Test
    void anInterruptedCallerIsCancelledWithItsInterruptKept() {
        Path file = dir.resolve("lo.pcap");
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> PacketCapture.start(ns, "lo", file)).isInstanceOf(CancellationException.class);
                assertThat(Thread.currentThread().isInterrupted())
                        .as("interrupt status after the refused start")
                        .isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(Files.exists(file)).isFalse();
        }
    }
}
