package io.github.netvirt.examples.sniffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.packet.FrameView;
import io.github.netvirt.tap.pcap.PcapReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresRoot
class SnifferTest {
    @Test
    void everyFrameCrossingTheTapsLandsInThePcap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("capture.pcap");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = Sniffer.run(new PrintStream(buf, true, StandardCharsets.UTF_8), file.toString());
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isZero();
        checkCapture(file, out);
    }

    @Test
    void aBridgesMirroredPortsLandInThePcap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mirror.pcap");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc = Sniffer.run(new PrintStream(buf, true, StandardCharsets.UTF_8), "--mirror", file.toString());
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(rc).as(out).isZero();
        checkCapture(file, out);
    }

    /** The capture, read back with netvirt-tap's PcapReader: every frame parses; ARP, the UDP datagram, the TCP SYN. */
    private static void checkCapture(Path file, String out) throws Exception {
        int arp = 0;
        int udpWithPayload = 0;
        int tcpSyn = 0;
        int total = 0;
        try (PcapReader r = PcapReader.open(file)) {
            assertThat(r.linkType()).isEqualTo(1);
            ByteBuffer frame = ByteBuffer.allocate(70000);
            FrameView f = new FrameView();
            while (true) {
                frame.clear();
                if (r.next(frame) < 0) {
                    break;
                }
                frame.flip();
                total++;
                assertThat(f.parse(frame)).isTrue();
                if (f.hasArp()) {
                    arp++;
                }
                if (f.hasUdp() && f.udp().destinationPort() == 9999) {
                    byte[] p = new byte[8];
                    frame.get(f.udp().payloadOffset(), p);
                    if (new String(p, StandardCharsets.US_ASCII).equals("sniff me")) {
                        udpWithPayload++;
                    }
                }
                if (f.hasTcp() && f.tcp().destinationPort() == 8000 && f.tcp().has(io.github.netvirt.tap.packet.TcpHeader.SYN) && !f.tcp().has(io.github.netvirt.tap.packet.TcpHeader.ACK)) {
                    tcpSyn++;
                }
            }
        }
        assertThat(out).containsPattern("captured " + total + " (mirrored )?frames");
        assertThat(arp).as("ARP request and reply").isGreaterThanOrEqualTo(2);
        assertThat(udpWithPayload).isEqualTo(1);
        assertThat(tcpSyn).isEqualTo(1);
    }
}
