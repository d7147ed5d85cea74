package io.github.netvirt.examples.sniffer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.examples.ExampleOutput;
import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.packet.FrameView;
import io.github.netvirt.tap.packet.TcpHeader;
import io.github.netvirt.tap.pcap.PcapReader;
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
        String out = ExampleOutput.ofSuccess(ps -> Sniffer.run(ps, file.toString()));
        checkCapture(file, out);
    }

    @Test
    void aBridgesMirroredPortsLandInThePcap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("mirror.pcap");
        String out = ExampleOutput.ofSuccess(ps -> Sniffer.run(ps, "--mirror", file.toString()));
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
                if (f.hasTcp()
                        && f.tcp().destinationPort() == 8000
                        && f.tcp().has(TcpHeader.SYN)
                        && !f.tcp().has(TcpHeader.ACK)) {
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
