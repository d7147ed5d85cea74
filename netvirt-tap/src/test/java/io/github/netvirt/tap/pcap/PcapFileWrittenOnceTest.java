package io.github.netvirt.tap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers of one file would truncate each other's frames and interleave their records into a
 * file no reader can read: a file being written is refused to a second writer, and left as it is.
 */
class PcapFileWrittenOnceTest {
    private static final byte[] FRAME = new byte[60];

    @Test
    void aFileAWriterIsWritingIsRefusedToASecondOneAndLeftWhole(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("one.pcap");
        try (PcapWriter first = PcapWriter.create(file, TimestampPrecision.NANOSECONDS)) {
            first.write(FRAME, 0, FRAME.length);
            first.flush();
            long written = Files.size(file);
            assertThatThrownBy(() -> PcapWriter.create(file, TimestampPrecision.NANOSECONDS))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("written by another writer");
            // through another path to the same file too
            Path link = dir.resolve("link.pcap");
            Files.createSymbolicLink(link, file);
            assertThatThrownBy(() -> PcapWriter.create(link, TimestampPrecision.NANOSECONDS))
                    .isInstanceOf(IOException.class);
            assertThat(Files.size(file)).isEqualTo(written);
            first.write(FRAME, 0, FRAME.length);
        }
        try (PcapReader r = PcapReader.open(file)) {
            ByteBuffer b = ByteBuffer.allocate(100);
            assertThat(r.next(b.clear())).isEqualTo(FRAME.length);
            assertThat(r.next(b.clear())).isEqualTo(FRAME.length);
            assertThat(r.next(b.clear())).isEqualTo(-1);
        }
        try (PcapWriter again = PcapWriter.create(file, TimestampPrecision.NANOSECONDS)) {
            again.write(FRAME, 0, FRAME.length);
        }
        assertThat(Files.size(file)).isEqualTo(24 + 16 + FRAME.length);
    }
}
