package io.github.netvirt.core.spec;

/** A 48-bit Ethernet address, e.g. {@code 02:00:00:00:00:01}. */
public record MacAddress(long value) {

    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("not a 48-bit MAC address: " + Long.toHexString(value));
        }
    }

    public static MacAddress parse(String text) {
        if (text == null || text.length() != 17) {
            throw new IllegalArgumentException("malformed MAC address \"" + text + "\" (want xx:xx:xx:xx:xx:xx)");
        }
        long v = 0;
        for (int i = 0; i < 6; i++) {
            int hi = Character.digit(text.charAt(3 * i), 16);
            int lo = Character.digit(text.charAt(3 * i + 1), 16);
            if (hi < 0 || lo < 0 || (i < 5 && text.charAt(3 * i + 2) != ':')) {
                throw new IllegalArgumentException("malformed MAC address \"" + text + "\" (want xx:xx:xx:xx:xx:xx)");
            }
            v = (v << 8) | (hi << 4) | lo;
        }
        return new MacAddress(v);
    }

    public byte[] bytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    public boolean isMulticast() {
        return (value >>> 40 & 1) != 0;
    }

    public boolean isZero() {
        return value == 0;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(17);
        byte[] b = bytes();
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                s.append(':');
            }
            s.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
        }
        return s.toString();
    }
}
