package io.github.netvirt.tap.packet;

/**
 * MAC addresses as the low 48 bits of a {@code long}, the allocation-free form the header views
 * return: {@code 0x0270740000ffL} is {@code 02:70:74:00:00:ff}.
 */
public final class Mac {
    public static final long BROADCAST = 0xffff_ffff_ffffL;
    public static final long ZERO = 0L;

    private Mac() {
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with '-'). */
    public static long parse(String text) {
        String[] parts = text.split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2) {
                throw new IllegalArgumentException("not a MAC address: \"" + text + "\"");
            }
            try {
                v = v << 8 | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: \"" + text + "\"", e);
            }
        }
        return v;
    }

    public static long of(byte[] six) {
        if (six.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, got " + six.length);
        }
        long v = 0;
        for (byte b : six) {
            v = v << 8 | (b & 0xff);
        }
        return v;
    }

    public static byte[] toBytes(long mac) {
        byte[] b = new byte[6];
        for (int i = 5; i >= 0; i--) {
            b[i] = (byte) mac;
            mac >>>= 8;
        }
        return b;
    }

    public static String format(long mac) {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--) {
            int b = (int) (mac >>> (8 * i)) & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            if (i > 0) {
                sb.append(':');
            }
        }
        return sb.toString();
    }
}
