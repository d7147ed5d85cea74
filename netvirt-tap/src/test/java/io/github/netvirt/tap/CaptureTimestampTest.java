package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.pcap.PcapReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A captured frame is stamped with the time the kernel saw it cross the device, not the time the
 * capture's reader got to it: a reader that falls behind must not move the frames' times.
 */
@RequiresRoot
class CaptureTimestampTest {
    @TempDir
    Path dir;

    @Test
    void aFrameReadLateCarriesTheTimeItCrossedTheDevice() throws Exception {
        Path file = dir.resolve("late.pcap");
        long sentFrom;
        long sentTo;
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                h.linkSetUp("lo");
            }
            try (DatagramChannel rx = ns.openDatagramChannel();
                    DatagramChannel tx = ns.openDatagramChannel();
                    PacketCapture c = PacketCapture.start(ns, "lo", file)) {
                rx.bind(new InetSocketAddress("127.0.0.1", 0));
                // the kernel stamps frames once a work item has turned its timestamps on, a moment
                // after the first socket of a quiet machine asks (until then, the time of the read)
                Thread.sleep(300);
                CountDownLatch away = new CountDownLatch(1);
                c.afterEmptyRead = () -> { // the reader, having read the first datagram, is held up
                    away.countDown();
                    try {
                        Thread.sleep(700);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
                tx.send(ByteBuffer.wrap("first".getBytes(StandardCharsets.US_ASCII)), rx.getLocalAddress());
                assertThat(away.await(5, TimeUnit.SECONDS)).isTrue();
                sentFrom = now();
                tx.send(ByteBuffer.wrap("late".getBytes(StandardCharsets.US_ASCII)), rx.getLocalAddress());
                sentTo = now();
            }
        }
        long stamped = -1;
        try (PcapReader r = PcapReader.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 18);
            while (r.next(b.clear()) >= 0) {
                if (StandardCharsets.ISO_8859_1.decode(b.flip()).toString().endsWith("late")) {
                    stamped = r.epochNanos();
                }
            }
        }
        assertThat(stamped)
                .as("the late datagram's time")
                .isBetween(sentFrom, sentTo + TimeUnit.MILLISECONDS.toNanos(200));
    }

    private static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
