package io.github.netvirt.netlink;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A 48-bit Ethernet (MAC) address, held in the low 48 bits of {@code bits}.
 *
 * @param bits the address, most significant byte first (e.g. {@code 0x02aabbccddeeL})
 */
public record MacAddress(long bits) {
    /** {@code ff:ff:ff:ff:ff:ff}. */
    public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

    public MacAddress {
        if ((bits & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    /**
     * Parses six groups of two hexadecimal digits (either case), separated all by {@code :}, all by
     * {@code -}, or not at all: {@code 02:aa:bb:cc:dd:ee}, {@code 02-aa-bb-cc-dd-ee}, {@code 02aabbccddee}.
     *
     * @throws IllegalArgumentException for anything else (the message quotes the input)
     */
    public static MacAddress parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("malformed MAC address: null");
        }
        int step;
        if (text.length() == 17) {
            step = 3;
        } else if (text.length() == 12) {
            step = 2;
        } else {
            throw malformed(text);
        }
        char sep = step == 3 ? text.charAt(2) : 0;
        if (step == 3 && sep != ':' && sep != '-') {
            throw malformed(text);
        }
        long v = 0;
        for (int g = 0; g < 6; g++) {
            int at = g * step;
            int hi = hexDigit(text.charAt(at));
            int lo = hexDigit(text.charAt(at + 1));
            if (hi < 0 || lo < 0 || step == 3 && g < 5 && text.charAt(at + 2) != sep) {
                throw malformed(text);
            }
            v = (v << 8) | (hi << 4) | lo;
        }
        return new MacAddress(v);
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException("malformed MAC address \"" + text
                + "\" (want six two-digit hex groups: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabbccddeeff)");
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
