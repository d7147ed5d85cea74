package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.netvirt.netlink.LinkSpec;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.pcap.PcapReader;
import io.github.netvirt.tap.pcap.PcapWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frame longer than the capture's snapshot length (BIG TCP: a veth whose {@code gso_max_size}
 * is raised hands 512 KiB TCP segments to the capture) is cut, and its record keeps the length it
 * had on the device, as {@code tcpdump -w} writes it.
 */
@RequiresRoot
class BigFrameCaptureTest {
    @TempDir
    Path dir;

    @Test
    void aFrameLongerThanTheSnapshotKeepsItsOriginalLength() throws Exception {
        Path file = dir.resolve("big.pcap");
        try (NetNamespace a = NetNamespace.ephemeral();
                NetNamespace b = NetNamespace.ephemeral()) {
            try (NetlinkHandle h = NetlinkHandle.open(a)) {
                h.linkAdd(LinkSpec.veth("bga", "bgb").peerNetns(b));
            }
            assumeTrue(
                    Kernel.link(a, "bga").contains("\"tso_max_size\":524280"),
                    "SKIPPED: this kernel's veth takes no 512 KiB segments (BIG TCP)");
            Kernel.ip(a, "link", "set", "bga", "gso_max_size", "524280", "gro_max_size", "524280", "up");
            Kernel.ip(b, "link", "set", "bgb", "gso_max_size", "524280", "gro_max_size", "524280", "up");
            Kernel.ip(a, "addr", "add", "fd00:6b::1/64", "dev", "bga", "nodad");
            Kernel.ip(b, "addr", "add", "fd00:6b::2/64", "dev", "bgb", "nodad");
            int longest = 0;
            for (int attempt = 0; attempt < 5 && longest <= PcapWriter.DEFAULT_SNAPLEN; attempt++) {
                transfer(a, b, file);
                try (PcapReader r = PcapReader.open(file)) {
                    ByteBuffer buf = ByteBuffer.allocate(PcapWriter.DEFAULT_SNAPLEN);
                    int caught;
                    while ((caught = r.next(buf.clear())) >= 0) {
                        assertThat(r.originalLength()).as("original length").isGreaterThanOrEqualTo(caught);
                        longest = Math.max(longest, r.originalLength());
                    }
                }
            }
            assertThat(longest).as("the longest frame's original length").isGreaterThan(PcapWriter.DEFAULT_SNAPLEN);
        }
    }

    /** 64 MiB of TCP from a to b over IPv6, captured on a's end. */
    private static void transfer(NetNamespace a, NetNamespace b, Path file) throws Exception {
        try (ServerSocketChannel server = b.openServerSocketChannel()) {
            server.bind(new InetSocketAddress("fd00:6b::2", 0));
            Thread sink = new Thread(() -> {
                try (SocketChannel in = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 22);
                    while (in.read(buf.clear()) >= 0) {
                        // discard
                    }
                } catch (Exception e) {
                    // the transfer ends
                }
            });
            sink.start();
            try (PacketCapture c = PacketCapture.start(a, "bga", file);
                    SocketChannel out = a.openSocketChannel()) {
                out.connect(server.getLocalAddress());
                ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 22);
                for (int i = 0; i < 16; i++) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        out.write(chunk);
                    }
                }
                out.shutdownOutput();
                sink.join(10_000);
            }
        }
    }
}
