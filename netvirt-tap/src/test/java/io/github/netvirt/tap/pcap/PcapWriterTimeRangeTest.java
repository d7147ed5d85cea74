package io.github.netvirt.tap.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A classic pcap record holds its time as unsigned 32-bit seconds since 1970: a time before 1970
 * or from 2106 on is refused before anything is written, not stored as another time.
 */
class PcapWriterTimeRangeTest {
    private static final long LAST_SECOND = 0xffff_ffffL;

    @Test
    void aTimeClassicPcapCannotHoldIsRefusedAndNothingIsWritten() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, TimestampPrecision.NANOSECONDS, 100)) {
            byte[] frame = new byte[60];
            assertThatThrownBy(() -> w.write(frame, 0, 60, -1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
            assertThatThrownBy(() -> w.write(ByteBuffer.wrap(frame), (LAST_SECOND + 1) * 1_000_000_000L))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(bytes.size()).as("only the file header").isEqualTo(24);
            assertThat(w.frameCount()).isZero();
            w.write(frame, 0, 60, 0);
            w.write(frame, 0, 60, LAST_SECOND * 1_000_000_000L + 999_999_999L);
        }
        PcapReader r = new PcapReader(new ByteArrayInputStream(bytes.toByteArray()));
        ByteBuffer dst = ByteBuffer.allocate(100);
        r.next(dst);
        assertThat(r.epochNanos()).isZero();
        r.next(dst.clear());
        assertThat(r.epochNanos()).isEqualTo(LAST_SECOND * 1_000_000_000L + 999_999_999L);
    }
}
