package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.packet.ArpPacket;
import io.github.netvirt.tap.packet.FrameView;
import io.github.netvirt.tap.packet.IcmpHeader;
import io.github.netvirt.tap.packet.Ipv4Address;
import io.github.netvirt.tap.pcap.LinkType;
import io.github.netvirt.tap.pcap.PcapReader;
import io.github.netvirt.tap.pcap.PcapWriter;
import io.github.netvirt.tap.pcap.TimestampPrecision;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Frames exchanged with the kernel through a TAP, captured by PcapWriter and read back by PcapReader:
 * the same frames in the same order, timestamps in the capture's precision, and the kernel's answers
 * (ARP reply, ICMP echo replies) decoded with valid checksums. The file layout itself is checked byte
 * by byte against libpcap's format in PcapWriterTest.
 */
@RequiresRoot
class PcapCaptureTest {
    @ParameterizedTest
    @EnumSource(TimestampPrecision.class)
    void aCaptureOfArpAndPingReadsBackFrameForFrame(TimestampPrecision precision, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("tp-" + precision + ".pcap");
        KernelAnswersTest exchange = new KernelAnswersTest();
        List<byte[]> sent = new ArrayList<>();
        long startNanos = System.currentTimeMillis() * 1_000_000L;
        exchange.tapWithAnAddress();
        try (PcapWriter w = PcapWriter.create(file, precision)) {
            exchange.pcap = w;
            exchange.recorded = sent;
            exchange.arpExchange();
            for (int seq = 1; seq <= 5; seq++) {
                exchange.echoExchange(seq);
            }
            assertThat(w.frameCount()).isEqualTo(sent.size());
        } finally {
            exchange.close();
        }
        long endNanos = (System.currentTimeMillis() + 1) * 1_000_000L;
        assertThat(sent.size()).isGreaterThanOrEqualTo(12);

        List<String> seen = new ArrayList<>();
        try (PcapReader r = PcapReader.open(file)) {
            assertThat(r.linkType()).isEqualTo(LinkType.ETHERNET.code());
            assertThat(r.precision()).isEqualTo(precision);
            ByteBuffer frame = ByteBuffer.allocate(TapDevice.MAX_FRAME);
            FrameView v = new FrameView();
            long last = 0;
            for (byte[] expected : sent) {
                frame.clear();
                assertThat(r.next(frame)).isEqualTo(expected.length);
                frame.flip();
                assertThat(frame).isEqualTo(ByteBuffer.wrap(expected));
                assertThat(r.originalLength()).isEqualTo(expected.length);
                long t = r.epochNanos();
                assertThat(t).isBetween(Math.max(last, startNanos - 1_000_000_000L), endNanos);
                if (precision == TimestampPrecision.MICROSECONDS) {
                    assertThat(t % 1000).isZero();
                }
                last = t;
                assertThat(v.parse(frame)).isTrue();
                seen.add(describe(v));
            }
            frame.clear();
            assertThat(r.next(frame)).as("no record after the last frame").isEqualTo(-1);
        }
        assertThat(seen)
                .contains(
                        "arp request who-has 10.77.0.1 tell 10.77.0.2",
                        "arp reply 10.77.0.1 is-at",
                        "10.77.0.2 > 10.77.0.1 icmp echo request id 29808 seq 1",
                        "10.77.0.1 > 10.77.0.2 icmp echo reply id 29808 seq 5");
        assertThat(seen.stream().filter(s -> s.contains("icmp echo reply"))).hasSize(5);
        assertThat(seen).noneMatch(s -> s.contains("bad checksum"));
    }

    /** One line per frame, in the spirit of tcpdump's, with the checksums verified. */
    private static String describe(FrameView v) {
        if (v.hasArp()) {
            ArpPacket a = v.arp();
            return a.operation() == ArpPacket.REQUEST
                    ? "arp request who-has " + Ipv4Address.format(a.targetIp()) + " tell "
                            + Ipv4Address.format(a.senderIp())
                    : "arp reply " + Ipv4Address.format(a.senderIp()) + " is-at";
        }
        if (v.hasIcmp()) {
            IcmpHeader i = v.icmp();
            String kind = i.type() == IcmpHeader.ECHO_REQUEST
                    ? "echo request"
                    : i.type() == IcmpHeader.ECHO_REPLY ? "echo reply" : "type " + i.type();
            boolean ok = v.ipv4().checksumValid() && i.checksumValid(v.ipv4().payloadLength());
            return Ipv4Address.format(v.ipv4().source()) + " > "
                    + Ipv4Address.format(v.ipv4().destination()) + " icmp " + kind + " id " + i.identifier() + " seq "
                    + i.sequence() + (ok ? "" : " bad checksum");
        }
        return "other ethertype " + v.ethernet().etherType();
    }
}
