package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.MacAddress;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.packet.IcmpEchoBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A multi-queue tap on a bridge: one thread per queue reads, every queue writes. */
@RequiresRoot
class MultiQueueFramesTest {
    @Test
    void everyQueueWritesAndTheQueuesTogetherReadEveryFrame() throws Exception {
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            Sysctls.of(ns).set("ipv6/conf/default/disable_ipv6", "1");
            try (TapDevice q0 = TapDevice.tap("tpmq").multiQueue(true).open(ns);
                    TapDevice q1 = q0.openQueue();
                    TapDevice peer = TapDevice.tap("tpmqpeer").open(ns);
                    NetlinkHandle h = NetlinkHandle.open(ns)) {
                h.linkAdd(LinkSpec.bridge("tpmqbr").up());
                h.linkSetMaster("tpmq", "tpmqbr");
                h.linkSetMaster("tpmqpeer", "tpmqbr");
                q0.up();
                peer.up();
                peer.setReadTimeout(Duration.ofSeconds(2));

                // both queues send into the device
                byte[] buf = new byte[2048];
                for (TapDevice q : new TapDevice[] {q0, q1}) {
                    byte[] f = Frames.ethernet(100, Frames.MAC_B, Frames.MAC_A, q == q0 ? 0 : 1);
                    q.write(f, 0, f.length);
                    int n;
                    do {
                        n = peer.read(buf, 0, buf.length);
                    } while (!Frames.isTest(buf, n));
                    assertThat(buf[17]).isEqualTo((byte) (q == q0 ? 0 : 1));
                }

                // frames from many flows towards the device: the kernel spreads them over the queues
                int total = 400;
                AtomicInteger got = new AtomicInteger();
                int[] perQueue = new int[2];
                Thread[] readers = new Thread[2];
                TapDevice[] queues = {q0, q1};
                // a reader stops when all frames are read, not at its first timeout: the writer may stall
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (int i = 0; i < 2; i++) {
                    int qi = i;
                    queues[i].setReadTimeout(Duration.ofMillis(300));
                    readers[i] = new Thread(() -> {
                        byte[] b = new byte[2048];
                        while (got.get() < total && System.nanoTime() < deadline) {
                            try {
                                int n = queues[qi].read(b, 0, b.length);
                                if (n >= 14 && b[12] == 0x08 && b[13] == 0x00 && b[5] == Frames.MAC_A[5]) {
                                    perQueue[qi]++;
                                    got.incrementAndGet();
                                }
                            } catch (TapTimeoutException e) {
                                // nothing queued on this one now; look at the count and the deadline again
                            } catch (IOException e) {
                                return;
                            }
                        }
                    });
                    readers[i].start();
                }
                // IPv4 flows (ICMP echo from 400 source addresses): the kernel hashes them over the queues
                ByteBuffer out = ByteBuffer.allocate(128);
                long macA = MacAddress.of(Frames.MAC_A).bits();
                for (int s = 0; s < total; s++) {
                    out.clear();
                    IcmpEchoBuilder.request(
                            out, 0x0270748000bbL + s, macA, 0x0a4f0000 + s, 0x0a4fffff, 1, s, new byte[0], 0, 0);
                    out.flip();
                    peer.write(out);
                    if (s % 50 == 49) {
                        Thread.sleep(2); // stay under the queues' 1000-frame backlog
                    }
                }
                for (Thread t : readers) {
                    t.join(15_000);
                }
                assertThat(perQueue[0]).as("frames on queue 0").isPositive();
                assertThat(perQueue[1]).as("frames on queue 1").isPositive();
                assertThat(got.get())
                        .as("frames read over both queues (per queue: %d, %d)", perQueue[0], perQueue[1])
                        .isEqualTo(total);
                System.out.printf(
                        "multi-queue tap: %d frames, queue 0 read %d, queue 1 read %d%n",
                        total, perQueue[0], perQueue[1]);
            }
        }
    }
}
