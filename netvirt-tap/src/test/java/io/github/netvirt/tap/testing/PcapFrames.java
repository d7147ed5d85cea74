package io.github.netvirt.tap.testing;

import io.github.netvirt.tap.packet.FrameView;
import io.github.netvirt.tap.packet.Ipv4Address;
import io.github.netvirt.tap.packet.TcpHeader;
import io.github.netvirt.tap.pcap.PcapReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What a pcap file holds, as lines a test can assert on. */
public final class PcapFrames {
    private PcapFrames() {
    }

    /**
     * The IPv4 TCP frames of a capture, in order: "SYN a > b:port" and "SYN+ACK b:port > a" for the
     * handshake, "TCP a > b" for the others.
     */
    public static List<String> tcp(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (PcapReader r = PcapReader.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 18);
            FrameView v = new FrameView();
            while (true) {
                b.clear();
                if (r.next(b) < 0) {
                    return out;
                }
                b.flip();
                if (v.parse(b) && v.hasTcp()) {
                    TcpHeader t = v.tcp();
                    String src = Ipv4Address.format(v.ipv4().source());
                    String dst = Ipv4Address.format(v.ipv4().destination());
                    if (!t.has(TcpHeader.SYN)) {
                        out.add("TCP " + src + " > " + dst);
                    } else if (t.has(TcpHeader.ACK)) {
                        out.add("SYN+ACK " + src + ":" + t.sourcePort() + " > " + dst);
                    } else {
                        out.add("SYN " + src + " > " + dst + ":" + t.destinationPort());
                    }
                }
            }
        }
    }
}
