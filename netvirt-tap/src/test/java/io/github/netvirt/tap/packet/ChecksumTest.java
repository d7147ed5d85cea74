package io.github.netvirt.tap.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    static ByteBuffer hex(String s) {
        s = s.replaceAll("\\s", "");
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return ByteBuffer.wrap(b);
    }

    @Test
    void rfc1071Example() {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to 2ddf0, folded ddf2, complemented 220d
        assertThat(Checksum.internet(hex("0001f203f4f5f6f7"), 0, 8)).isEqualTo(0x220d);
        assertThat(Checksum.fold(Checksum.sum(hex("0001f203f4f5f6f7"), 0, 8, 0)))
                .isEqualTo(0x220d);
    }

    @Test
    void aRealIpv4HeaderVerifiesToZero() {
        // the IPv4 header of Wikipedia's checksum example: 192.168.0.1 > 192.168.0.199, checksum b861
        ByteBuffer h = hex("450000730000400040110000c0a80001c0a800c7");
        assertThat(Checksum.internet(h, 0, 20)).isEqualTo(0xb861);
        h.put(10, (byte) 0xb8).put(11, (byte) 0x61);
        assertThat(Checksum.internet(h, 0, 20)).isZero();
    }

    @Test
    void oddLengthPadsWithZero() {
        assertThat(Checksum.internet(hex("0102 03"), 0, 3)).isEqualTo(Checksum.internet(hex("0102 0300"), 0, 4));
    }
}
