package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PacketCapture#close()} writes the frames queued when it was called, not every frame that
 * keeps coming: traffic that outruns the capture must not hold close() until it stops.
 */
@RequiresRoot
class CaptureCloseUnderTrafficTest {
    @TempDir
    Path dir;

    @Test
    void closeReturnsWhileTrafficFasterThanTheCaptureGoesOn() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                h.linkSetUp("lo");
            }
            InetSocketAddress sink = new InetSocketAddress("127.0.0.1", 9999);
            AtomicBoolean stop = new AtomicBoolean();
            long floodEnds = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            List<Thread> senders = new ArrayList<>();
            try (DatagramChannel receiver = ns.openDatagramChannel()) {
                receiver.bind(sink); // never read: the kernel drops what does not fit
                for (int i = 0; i < 2; i++) {
                    DatagramChannel out = ns.openDatagramChannel();
                    Thread t = new Thread(() -> {
                        ByteBuffer big = ByteBuffer.allocateDirect(65_000);
                        try (out) {
                            while (!stop.get() && System.nanoTime() < floodEnds) {
                                out.send(big.clear(), sink);
                            }
                        } catch (Exception e) {
                            // the flood ends
                        }
                    });
                    t.start();
                    senders.add(t);
                }
                try {
                    PacketCapture c = PacketCapture.start(ns, "lo", dir.resolve("lo.pcap"));
                    Thread.sleep(500); // the capture falls behind
                    long t0 = System.nanoTime();
                    c.close();
                    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    boolean flooding = System.nanoTime() < floodEnds;
                    assertThat(flooding)
                            .as("the flood still went on when close() returned")
                            .isTrue();
                    assertThat(took).as("close() took %d ms", took).isLessThan(5_000);
                    assertThat(c.frameCount()).isPositive();
                } finally {
                    stop.set(true);
                    for (Thread t : senders) {
                        t.join();
                    }
                }
            }
        }
    }
}
