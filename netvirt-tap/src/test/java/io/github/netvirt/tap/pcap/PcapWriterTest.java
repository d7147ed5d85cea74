package io.github.netvirt.tap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @Test
    void fileHeaderAndRecordsAreClassicLibpcapMicroseconds() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, TimestampPrecision.MICROSECONDS, 65535)) {
            byte[] frame = new byte[60];
            frame[0] = 1;
            w.write(frame, 0, 60, 1_700_000_000_123_456_789L);
            assertThat(w.frameCount()).isEqualTo(1);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.remaining()).isEqualTo(24 + 16 + 60);
        assertThat(b.getInt(0)).isEqualTo(0xa1b2c3d4);
        assertThat(b.get(0)).isEqualTo((byte) 0xd4); // little-endian on disk
        assertThat(b.getShort(4)).isEqualTo((short) 2);
        assertThat(b.getShort(6)).isEqualTo((short) 4);
        assertThat(b.getInt(8)).isZero();
        assertThat(b.getInt(12)).isZero();
        assertThat(b.getInt(16)).isEqualTo(65535);
        assertThat(b.getInt(20)).isEqualTo(1);
        assertThat(b.getInt(24)).isEqualTo(1_700_000_000);
        assertThat(b.getInt(28)).isEqualTo(123_456);
        assertThat(b.getInt(32)).isEqualTo(60);
        assertThat(b.getInt(36)).isEqualTo(60);
        assertThat(b.get(40)).isEqualTo((byte) 1);
    }

    @Test
    void nanosecondFilesUseTheirMagicAndKeepNanoseconds() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, LinkType.RAW, TimestampPrecision.NANOSECONDS, 100)) {
            w.write(ByteBuffer.allocateDirect(300), 1_700_000_000_123_456_789L); // longer than snaplen
        }
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0xa1b23c4d);
        assertThat(b.getInt(20)).isEqualTo(101);
        assertThat(b.getInt(28)).isEqualTo(123_456_789);
        assertThat(b.getInt(32)).as("captured").isEqualTo(100);
        assertThat(b.getInt(36)).as("original").isEqualTo(300);
        assertThat(b.remaining()).isEqualTo(24 + 16 + 100);

        PcapReader r = new PcapReader(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(r.precision()).isEqualTo(TimestampPrecision.NANOSECONDS);
        assertThat(r.linkType()).isEqualTo(101);
        ByteBuffer dst = ByteBuffer.allocate(1000);
        assertThat(r.next(dst)).isEqualTo(100);
        assertThat(r.originalLength()).isEqualTo(300);
        assertThat(r.epochNanos()).isEqualTo(1_700_000_000_123_456_789L);
        assertThat(r.next(dst)).isEqualTo(-1);
    }

    @Test
    void writtenFramesReadBackInOrderWithTheirTimes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("tp.pcap");
        long t0;
        try (PcapWriter w = PcapWriter.create(file, TimestampPrecision.MICROSECONDS)) {
            t0 = w.now();
            for (int i = 0; i < 50; i++) {
                byte[] f = new byte[64 + i];
                f[0] = (byte) i;
                w.write(f, 0, f.length);
            }
            ByteBuffer heap = ByteBuffer.allocate(100);
            heap.position(10).limit(80);
            w.write(heap, t0);
            assertThat(heap.position()).as("position left alone").isEqualTo(10);
        }
        try (PcapReader r = PcapReader.open(file)) {
            ByteBuffer dst = ByteBuffer.allocate(PcapWriter.DEFAULT_SNAPLEN);
            long last = 0;
            for (int i = 0; i < 50; i++) {
                dst.clear();
                assertThat(r.next(dst)).isEqualTo(64 + i);
                assertThat(dst.get(0)).isEqualTo((byte) i);
                assertThat(r.epochNanos()).isGreaterThanOrEqualTo(last).isBetween(t0 - 1000, t0 + 60_000_000_000L);
                last = r.epochNanos();
            }
            dst.clear();
            assertThat(r.next(dst)).isEqualTo(70);
            assertThat(r.next(dst)).isEqualTo(-1);
        }
        assertThat(Math.abs(t0 / 1_000_000 - System.currentTimeMillis())).isLessThan(60_000);
    }

    @Test
    void badArguments() throws IOException {
        assertThatThrownBy(() -> new PcapWriter(
                        new ByteArrayOutputStream(), LinkType.ETHERNET, TimestampPrecision.NANOSECONDS, 0))
                .isInstanceOf(IllegalArgumentException.class);
        PcapWriter w =
                new PcapWriter(new ByteArrayOutputStream(), LinkType.ETHERNET, TimestampPrecision.NANOSECONDS, 10);
        assertThatThrownBy(() -> w.write(new byte[10], 5, 10)).isInstanceOf(IndexOutOfBoundsException.class);
        w.close();
        assertThatThrownBy(() -> w.write(new byte[10], 0, 10))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> new PcapReader(new ByteArrayInputStream(new byte[24])))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a classic pcap");
    }

    @Test
    void aFrameCutBeforeTheWriterKeepsTheOriginalLengthGiven() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, TimestampPrecision.NANOSECONDS, 100)) {
            assertThatThrownBy(() -> w.write(ByteBuffer.allocate(60), 59, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("59");
            w.write(ByteBuffer.allocate(200), 524_170, 1);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.remaining()).isEqualTo(24 + 16 + 100);
        assertThat(b.getInt(32)).as("captured").isEqualTo(100);
        assertThat(b.getInt(36)).as("original").isEqualTo(524_170);
    }
}
