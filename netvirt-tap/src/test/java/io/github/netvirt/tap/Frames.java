package io.github.netvirt.tap;

/** Test frames: Ethernet with the IEEE local experimental EtherType 0x88b5, numbered. */
final class Frames {
    static final byte[] MAC_A = {0x02, 0x70, 0x74, 0, 0, 0x0a};
    static final byte[] MAC_B = {0x02, 0x70, 0x74, 0, 0, 0x0b};
    static final int ETHERTYPE = 0x88b5;

    private Frames() {}

    static byte[] ethernet(int size, byte[] dst, byte[] src, int seq) {
        byte[] f = new byte[size];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) (ETHERTYPE >>> 8);
        f[13] = (byte) ETHERTYPE;
        for (int i = 14; i < size; i++) {
            f[i] = (byte) (i * 7 + seq);
        }
        if (size >= 18) {
            f[14] = (byte) (seq >>> 24);
            f[15] = (byte) (seq >>> 16);
            f[16] = (byte) (seq >>> 8);
            f[17] = (byte) seq;
        }
        return f;
    }

    static boolean isTest(byte[] f, int len) {
        return len >= 14 && (f[12] & 0xff) == (ETHERTYPE >>> 8) && (f[13] & 0xff) == (ETHERTYPE & 0xff);
    }
}
