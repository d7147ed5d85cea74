package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.testing.PcapFrames;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture of {@code lo} holds each frame once, as {@code tcpdump -i lo} does: the kernel hands a
 * packet socket every frame of lo twice, as it leaves and as it comes back in.
 */
@RequiresRoot
class LoopbackCaptureTest {
    @TempDir
    Path dir;

    @Test
    void eachDatagramSentOverLoIsCapturedOnce() throws Exception {
        Path file = dir.resolve("lo.pcap");
        List<String> sent = new ArrayList<>();
        try (NetNamespace ns = NetNamespace.ephemeral()) {
            try (NetlinkHandle h = NetlinkHandle.open(ns)) {
                h.linkSetUp("lo");
            }
            try (DatagramChannel rx = ns.openDatagramChannel();
                    DatagramChannel tx = ns.openDatagramChannel();
                    PacketCapture c = PacketCapture.start(ns, "lo", file)) {
                rx.bind(new InetSocketAddress("127.0.0.1", 0));
                for (int i = 0; i < 5; i++) {
                    String payload = "lo datagram " + i;
                    tx.send(ByteBuffer.wrap(payload.getBytes(StandardCharsets.US_ASCII)), rx.getLocalAddress());
                    sent.add(payload);
                }
            }
        }
        List<String> captured = PcapFrames.lines(file, (v, b) -> {
            String s = StandardCharsets.ISO_8859_1.decode(b).toString();
            return s.contains("lo datagram ") ? s.substring(s.indexOf("lo datagram ")) : null;
        });
        assertThat(captured).as("datagrams in the file").isEqualTo(sent);
    }
}
