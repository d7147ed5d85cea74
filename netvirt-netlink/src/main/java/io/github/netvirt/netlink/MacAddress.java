package io.github.netvirt.netlink;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A 48-bit Ethernet (MAC) address, held in the low 48 bits of {@code bits}.
 *
 * @param bits the address, most significant byte first (e.g. {@code 0x02aabbccddeeL})
 */
public record MacAddress(long bits) {
    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (also with {@code -} separators). */
    public static MacAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("malformed MAC address: null");
        }
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("malformed MAC address \"" + text + "\" (want xx:xx:xx:xx:xx:xx)");
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("malformed MAC address \"" + text + "\" (want xx:xx:xx:xx:xx:xx)");
            }
            try {
                v = (v << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed MAC address \"" + text + "\" (want xx:xx:xx:xx:xx:xx)");
            }
        }
        return new MacAddress(v);
    }

    /** From 6 bytes in wire order. */
    public static MacAddress of(byte[] b) {
        if (b.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + b.length);
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xff);
        }
        return new MacAddress(v);
    }

    /** A random locally administered unicast address (as the kernel makes for veth). */
    public static MacAddress randomLocal() {
        long v = ThreadLocalRandom.current().nextLong() & 0xffff_ffff_ffffL;
        v = (v & ~(0x01L << 40)) | (0x02L << 40);
        return new MacAddress(v);
    }

    /** The 6 bytes in wire order. */
    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (bits >>> (40 - 8 * i));
        }
        return b;
    }

    public boolean isMulticast() {
        return (bits & (0x01L << 40)) != 0;
    }

    public boolean isZero() {
        return bits == 0;
    }

    /** {@code aa:bb:cc:dd:ee:ff}, lower case as iproute2 prints it. */
    @Override
    public String toString() {
        byte[] b = bytes();
        return String.format(Locale.ROOT, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
    }
}
