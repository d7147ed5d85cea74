package io.github.netvirt.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import io.github.netvirt.tap.pcap.PcapReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An 802.1Q-tagged frame is captured with its tag, as it crossed the device: the kernel takes the
 * tag out of the frame's bytes (into the packet's metadata) on the way in to a device and on the
 * way out of one that inserts tags itself (a tap, a veth), and a packet socket's plain read gives
 * the bytes without it.
 */
@RequiresRoot
class TaggedFrameCaptureTest {
    @TempDir
    Path dir;

    @Test
    void aTaggedFrameIsCapturedWithItsTagWhereItEntersAndWhereItLeaves() throws Exception {
        byte[] tagged = Frames.ethernet(64, new byte[] {-1, -1, -1, -1, -1, -1}, Frames.MAC_A, 7);
        byte[] withTag = new byte[tagged.length + 4];
        System.arraycopy(tagged, 0, withTag, 0, 12);
        withTag[12] = (byte) 0x81; // TPID 0x8100, VLAN 5
        withTag[13] = 0;
        withTag[14] = 0;
        withTag[15] = 5;
        System.arraycopy(tagged, 12, withTag, 16, tagged.length - 12);
        Path in = dir.resolve("tpa.pcap");
        Path out = dir.resolve("tpb.pcap");
        byte[] arrived;
        try (Bridged br = new Bridged().readTimeout(Duration.ofSeconds(3))) {
            try (PacketCapture ca = PacketCapture.start(br.ns, "tpa", in);
                    PacketCapture cb = PacketCapture.start(br.ns, "tpb", out)) {
                br.a.write(ByteBuffer.wrap(withTag));
                ByteBuffer got = ByteBuffer.allocate(TapDevice.MAX_FRAME);
                do {
                    got.clear();
                    br.b.read(got);
                    got.flip();
                } while (!Frames.isTest(unTagged(got), got.remaining() - 4));
                arrived = new byte[got.remaining()];
                got.get(arrived);
            }
        }
        assertThat(arrived).as("what the other tap read").isEqualTo(withTag);
        assertThat(testFrames(in)).as("captured where it entered").containsExactly(withTag);
        assertThat(testFrames(out)).as("captured where it left").containsExactly(withTag);
    }

    private static byte[] unTagged(ByteBuffer b) {
        byte[] f = new byte[b.remaining()];
        b.duplicate().get(f);
        if (f.length < 18) {
            return f;
        }
        byte[] u = new byte[f.length - 4];
        System.arraycopy(f, 0, u, 0, 12);
        System.arraycopy(f, 16, u, 12, f.length - 16);
        return u;
    }

    /** The records of the test's EtherType, tagged or not. */
    private static List<byte[]> testFrames(Path file) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (PcapReader r = PcapReader.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 18);
            while (r.next(b.clear()) >= 0) {
                b.flip();
                byte[] f = new byte[b.remaining()];
                b.get(f);
                if (Frames.isTest(f, f.length) || Frames.isTest(unTagged(ByteBuffer.wrap(f)), f.length - 4)) {
                    out.add(f);
                }
            }
        }
        return out;
    }
}
