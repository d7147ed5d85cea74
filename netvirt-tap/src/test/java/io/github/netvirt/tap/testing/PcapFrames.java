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
import java.util.function.BiFunction;

/** What a pcap file holds, as lines a test can assert on. */
public final class PcapFrames {
    private PcapFrames() {}

    /** One line per frame of a capture, in order: what {@code line} makes of it (null: no line). */
    public static List<String> lines(Path file, BiFunction<FrameView, ByteBuffer, String> line) throws IOException {
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
                String l = line.apply(v, b);
                if (l != null) {
                    out.add(l);
                }
            }
        }
    }

    /**
     * The IPv4 TCP frames of a capture, in order: "SYN a > b:port" and "SYN+ACK b:port > a" for the
     * handshake, "TCP a > b" for the others.
     */
    public static List<String> tcp(Path file) throws IOException {
        return lines(file, (v, b) -> {
            if (!v.parse(b) || !v.hasTcp()) {
                return null;
            }
            TcpHeader t = v.tcp();
            String src = Ipv4Address.format(v.ipv4().source());
            String dst = Ipv4Address.format(v.ipv4().destination());
            if (!t.has(TcpHeader.SYN)) {
                return "TCP " + src + " > " + dst;
            }
            return t.has(TcpHeader.ACK)
                    ? "SYN+ACK " + src + ":" + t.sourcePort() + " > " + dst
                    : "SYN " + src + " > " + dst + ":" + t.destinationPort();
        });
    }
}
