package io.github.netvirt.tap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PcapReaderTest {
    private static byte[] twoRecords() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, TimestampPrecision.NANOSECONDS, 65535)) {
            byte[] f = new byte[100];
            f[0] = 1;
            w.write(f, 0, 100, 1_000_000_001L);
            f[0] = 2;
            w.write(f, 0, 60, 2_000_000_002L);
        }
        return bytes.toByteArray();
    }

    @Test
    void aBufferTooSmallIsRefusedAndTheRecordCanBeReadAgainWithARoomierOne() throws IOException {
        PcapReader r = new PcapReader(new ByteArrayInputStream(twoRecords()));
        ByteBuffer small = ByteBuffer.allocate(50);
        assertThatThrownBy(() -> r.next(small)).isInstanceOf(IOException.class).hasMessageContaining("does not fit");
        assertThat(small.position()).isZero();

        ByteBuffer dst = ByteBuffer.allocate(200);
        assertThat(r.next(dst)).isEqualTo(100);
        assertThat(dst.get(0)).isEqualTo((byte) 1);
        assertThat(r.epochNanos()).isEqualTo(1_000_000_001L);
        dst.clear();
        assertThat(r.next(dst)).isEqualTo(60);
        assertThat(dst.get(0)).isEqualTo((byte) 2);
        assertThat(r.next(dst)).isEqualTo(-1);
    }

    @Test
    void aReadOnlyBufferIsRefusedBeforeTheRecordIsConsumed() throws IOException {
        PcapReader r = new PcapReader(new ByteArrayInputStream(twoRecords()));
        assertThatThrownBy(() -> r.next(ByteBuffer.allocate(200).asReadOnlyBuffer()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read-only");
        ByteBuffer dst = ByteBuffer.allocate(200);
        assertThat(r.next(dst)).isEqualTo(100);
        assertThat(dst.get(0)).isEqualTo((byte) 1);
    }

    @Test
    void aRecordNoCaptureWritesIsCorruptNotTooBigForTheBuffer() throws IOException {
        for (int caught : new int[] {-1, 300_000}) {
            byte[] file = twoRecords();
            ByteBuffer.wrap(file, 24 + 8, 4)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(caught);
            PcapReader r = new PcapReader(new ByteArrayInputStream(file));
            for (ByteBuffer room : new ByteBuffer[] {ByteBuffer.allocate(200), ByteBuffer.allocate(1 << 20)}) {
                assertThatThrownBy(() -> r.next(room))
                        .as("captured length %d, %d bytes of room", caught, room.capacity())
                        .isInstanceOf(IOException.class)
                        .hasMessageStartingWith("corrupt pcap record: captured length");
            }
        }
    }

    @Test
    void aRecordIsReadWholeIntoADirectBuffer() throws IOException {
        PcapReader r = new PcapReader(new ByteArrayInputStream(twoRecords()));
        ByteBuffer dst = ByteBuffer.allocateDirect(200);
        assertThat(r.next(dst)).isEqualTo(100);
        assertThat(dst.position()).isEqualTo(100);
        assertThat(dst.get(0)).isEqualTo((byte) 1);
    }
}
