package io.github.netvirt.tap.impair;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Which frames a relay impairs: IP to a unicast MAC, not the link's housekeeping (ARP, multicast,
 * IPv6 neighbour discovery, also when unicast). No root: frames built by hand.
 */
class ImpairedFramesTest {
    private static final int UNICAST = 0x02;
    private static final int MULTICAST = 0x33;

    /** An Ethernet frame to a MAC starting with {@code firstByte}, of {@code etherType}, with a 40-byte IPv6 header and an ICMPv6/UDP byte. */
    private static byte[] frame(int firstByte, int etherType, int nextHeader, int firstPayloadByte) {
        byte[] f = new byte[14 + 40 + 8];
        f[0] = (byte) firstByte;
        f[12] = (byte) (etherType >> 8);
        f[13] = (byte) etherType;
        f[14] = 0x60;
        f[14 + 6] = (byte) nextHeader;
        f[14 + 40] = (byte) firstPayloadByte;
        return f;
    }

    private static boolean impaired(byte[] f) {
        return Relay.isImpaired(f, f.length);
    }

    @Test
    void ipToAUnicastMacIsImpaired() {
        assertThat(impaired(frame(UNICAST, 0x0800, 0, 0))).isTrue();
        assertThat(impaired(frame(UNICAST, 0x86dd, 17, 0))).as("UDP").isTrue();
        assertThat(impaired(frame(UNICAST, 0x86dd, 58, 128)))
                .as("ICMPv6 echo request")
                .isTrue();
        assertThat(impaired(frame(UNICAST, 0x86dd, 58, 129)))
                .as("ICMPv6 echo reply")
                .isTrue();
        assertThat(impaired(frame(UNICAST, 0x86dd, 58, 1)))
                .as("ICMPv6 unreachable")
                .isTrue();
        assertThat(impaired(frame(UNICAST, 0x86dd, 6, 135)))
                .as("TCP, whatever its first byte")
                .isTrue();
    }

    @Test
    void theLinksHousekeepingPassesUntouched() {
        assertThat(impaired(frame(UNICAST, 0x0806, 0, 0))).as("ARP").isFalse();
        assertThat(impaired(frame(MULTICAST, 0x86dd, 17, 0))).as("multicast").isFalse();
        assertThat(impaired(frame(0xff, 0x0800, 0, 0))).as("broadcast").isFalse();
        for (int type = 133; type <= 137; type++) {
            assertThat(impaired(frame(UNICAST, 0x86dd, 58, type)))
                    .as("unicast neighbour discovery, ICMPv6 type %d", type)
                    .isFalse();
        }
        assertThat(impaired(new byte[10])).as("a runt").isFalse();
    }
}
