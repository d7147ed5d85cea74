package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netlink.Sysctls;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import io.github.netvirt.netns.internal.LibC;
import io.github.netvirt.netns.testing.RequiresRoot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FrameInputStream} and {@link FrameOutputStream} where a user's threads meet, frames are
 * longer than the JDK's buffers, and the JDK's loops read: on two taps bridged in an ephemeral
 * namespace (frames written into {@code iGa} come out of {@code iGb}).
 */
@RequiresRoot
class FrameStreamsTest {
    private NetNamespace ns;
    private TapDevice a;
    private TapDevice b;

    @BeforeEach
    void bridged() {
        ns = NetNamespace.ephemeral();
        try (NetlinkHandle h = NetlinkHandle.open(ns)) {
            Sysctls.of(ns).set("ipv6/conf/default/disable_ipv6", "1");
            a = TapDevice.tap("iGa").open(ns);
            b = TapDevice.tap("iGb").open(ns);
            h.linkAdd(LinkSpec.bridge("iGbr"));
            // a snooping bridge sends an IGMP report (for the multicast router discovery group) out of its ports
            Kernel.ip(ns, "link", "set", "iGbr", "type", "bridge", "mcast_snooping", "0");
            Kernel.ip(ns, "link", "set", "iGbr", "up");
            h.linkSetMaster("iGa", "iGbr");
            h.linkSetMaster("iGb", "iGbr");
            a.up();
            b.up();
        } catch (Exception | Error e) {
            EachOf.closeAfter(e, a, b, ns);
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        ns.close();
    }

    /**
     * available() ("the frame that can be read without blocking, or 0"), truncatedFrames() and
     * lastFrameLength() answer while another thread waits in read() on an idle tap (no read timeout).
     * Failed before: all three were synchronized on the stream, whose read() held that monitor for as
     * long as it waited, and available() did not answer in 10 s.
     */
    @Test
    void availableAndTheCountersAnswerWhileAnotherThreadWaitsInRead() throws Exception {
        FrameInputStream in = b.inputStream();
        Thread reader = new Thread(
                () -> {
                    try {
                        in.read(new byte[2048], 0, 2048);
                    } catch (IOException e) {
                        // closed at the end
                    }
                },
                "iG-reader");
        reader.start();
        try {
            awaitWaitingForAFrame(reader);
            assertAnswers("available()", () -> {
                try {
                    return in.available();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertAnswers("truncatedFrames()", in::truncatedFrames);
            assertAnswers("lastFrameLength()", in::lastFrameLength);
        } finally {
            b.close();
            reader.join(10_000);
        }
    }

    /**
     * transferTo writes each frame whole, also one longer than InputStream's own transferTo's buffer
     * (8192 bytes on JDK 17, 16384 on JDK 25; here MTU 20000, a tap takes up to 65521). Failed before
     * (InputStream's): the target got one write of 8192 (16384) bytes, not 20014, the rest dropped.
     */
    @Test
    void transferToCarriesAJumboFrameWhole() throws Exception {
        Kernel.ip(ns, "link", "set", "iGbr", "mtu", "20000");
        a.setMtu(20000);
        b.setMtu(20000);
        List<Integer> writes = new ArrayList<>();
        OutputStream target = new OutputStream() {
            @Override
            public void write(int x) {
                write(new byte[] {(byte) x}, 0, 1);
            }

            @Override
            public void write(byte[] x, int off, int len) {
                synchronized (writes) {
                    writes.add(len);
                }
            }
        };
        FrameInputStream in = b.inputStream();
        CompletableFuture<Long> transfer = CompletableFuture.supplyAsync(() -> {
            try {
                return in.transferTo(target);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] frame = Frames.ethernet(20014, Frames.MAC_B, Frames.MAC_A, 1);
        a.write(frame, 0, frame.length);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            synchronized (writes) {
                if (!writes.isEmpty()) {
                    break;
                }
            }
            Thread.sleep(10);
        }
        b.close(); // end of stream: transferTo returns
        long moved = transfer.get(10, TimeUnit.SECONDS);
        synchronized (writes) {
            assertThat(writes).as("the target's writes (one per frame)").containsExactly(20014);
        }
        assertThat(moved).isEqualTo(20014);
    }

    /**
     * InputStream's readNBytes reads until it has n bytes, across frames, as the class says: over two
     * 64-byte frames, readNBytes(100) returns the first and the first 36 bytes of the second, whose
     * rest is dropped and counted.
     */
    @Test
    void readNBytesReadsAcrossFramesAsTheClassSays() throws Exception {
        b.setReadTimeout(Duration.ofSeconds(10));
        FrameInputStream in = b.inputStream();
        byte[] first = Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 1);
        byte[] second = Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 2);
        a.write(first, 0, first.length);
        a.write(second, 0, second.length);
        byte[] got = in.readNBytes(100);
        assertThat(got).hasSize(100);
        assertThat(Arrays.copyOf(got, 64)).isEqualTo(first);
        assertThat(Arrays.copyOfRange(got, 64, 100)).isEqualTo(Arrays.copyOf(second, 36));
        assertThat(in.truncatedFrames()).isEqualTo(1);
    }

    /**
     * A device's streams are its own, the same on every call: a frame started by one caller's read()
     * is finished by another's. Failed before: each call made a stream of its own, and the rest of
     * the frame stayed in the first, lost and not counted.
     */
    @Test
    void aFrameStartedThroughOneCallOfInputStreamIsFinishedThroughTheNext() throws Exception {
        b.setReadTimeout(Duration.ofSeconds(10));
        assertThat(b.inputStream()).isSameAs(b.inputStream());
        assertThat(a.outputStream()).isSameAs(a.outputStream());
        byte[] frame = Frames.ethernet(64, Frames.MAC_B, Frames.MAC_A, 3);
        a.write(frame, 0, frame.length);
        int firstByte = b.inputStream().read();
        byte[] rest = new byte[2048];
        int n = b.inputStream().read(rest, 0, rest.length);
        assertThat(firstByte).isEqualTo(frame[0] & 0xff);
        assertThat(Arrays.copyOf(rest, n)).isEqualTo(Arrays.copyOfRange(frame, 1, 64));
    }

    /**
     * FrameOutputStream.close() during a write blocked for room (the tap's send buffer full) closes the
     * device, which wakes the write, as TapDevice.close() does. Failed before: close() waited for the
     * stream's monitor, which the write held while it waited for room, and had not returned after 10 s.
     * To block the write, iGa's send buffer is made 4 KiB (TUNSETSNDBUF: a tun device's is INT_MAX
     * unless someone sets it) and iGb's egress holds the frames (tbf at 8 bit/s), which stay charged
     * to iGa's socket.
     */
    @Test
    void streamCloseWakesAWriteBlockedForRoom() throws Exception {
        byte[] sndbuf = ByteBuffer.allocate(4)
                .order(ByteOrder.nativeOrder())
                .putInt(4096)
                .array();
        LibC.ioctl(a.fdNumber(), TUNSETSNDBUF, sndbuf);
        int tc = ns.inside(() -> new ProcessBuilder(
                        "tc",
                        "qdisc",
                        "add",
                        "dev",
                        "iGb",
                        "root",
                        "tbf",
                        "rate",
                        "8bit",
                        "burst",
                        "1600",
                        "limit",
                        "100000000")
                .inheritIO()
                .start()
                .waitFor());
        assertThat(tc).as("tc qdisc add ... tbf").isZero();
        FrameOutputStream out = a.outputStream();
        AtomicReference<Throwable> writerEnd = new AtomicReference<>();
        Thread writer = new Thread(
                () -> {
                    try {
                        for (int seq = 0; ; seq++) {
                            out.write(Frames.ethernet(1000, Frames.MAC_B, Frames.MAC_A, seq));
                        }
                    } catch (Throwable e) {
                        writerEnd.set(e);
                    }
                },
                "iG-writer");
        writer.start();
        CompletableFuture<Void> closing = null;
        try {
            awaitWaitingInPoll(writer, "a write waiting for room");
            closing = CompletableFuture.runAsync(() -> {
                try {
                    out.close();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            try {
                closing.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(
                        "FrameOutputStream.close() did not return in 10 s while a write waited for room");
            }
            writer.join(10_000);
            assertThat(writerEnd.get()).isInstanceOf(ClosedChannelException.class);
        } finally {
            a.close();
            writer.join(10_000);
            if (closing != null) {
                closing.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code _IOW('T', 212, int)}: the send buffer of the tun device's sockets. */
    private static final long TUNSETSNDBUF = 0x400454d4L;

    /** Waits until {@code reader} is inside read(), waiting in poll() for a frame. */
    private static void awaitWaitingForAFrame(Thread reader) throws InterruptedException {
        awaitWaitingInPoll(reader, "the reader waiting for a frame");
    }

    /** Waits until {@code t} waits in poll() on a tap's fd. */
    private static void awaitWaitingInPoll(Thread t, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (StackTraceElement e : t.getStackTrace()) {
                if (e.getClassName().endsWith("WakeableFd") && e.getMethodName().equals("await")) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("never saw " + what + ": " + Arrays.toString(t.getStackTrace()));
    }

    private static void assertAnswers(String what, Supplier<?> call) throws Exception {
        CompletableFuture<?> answer = CompletableFuture.supplyAsync(call);
        try {
            answer.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " did not answer in 10 s while another thread waited in read()");
        }
    }
}
