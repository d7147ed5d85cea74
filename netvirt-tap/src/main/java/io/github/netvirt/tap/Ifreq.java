package io.github.netvirt.tap;

import java.nio.charset.StandardCharsets;

/** {@code struct ifreq} for the TUN ioctls: 40 bytes, {@code char name[16]} then {@code short flags}. */
final class Ifreq {
    static final int SIZE = 40;
    static final int IFNAMSIZ = 16;

    static final long TUNSETIFF = 0x400454caL;
    static final long TUNSETPERSIST = 0x400454cbL;
    static final long TUNSETOWNER = 0x400454ccL;
    static final long TUNSETGROUP = 0x400454ceL;
    static final long TUNGETIFF = 0x800454d2L;
    /** {@code _IOW('T', 218, unsigned int)}: the ifindex the next TUNSETIFF on the fd creates its device with (Linux 3.8+). */
    static final long TUNSETIFINDEX = 0x400454daL;
    /** {@code _IO('T', 227)}: a new fd of the network namespace the device is in now (Linux 5.2+). */
    static final long TUNGETDEVNETNS = 0x54e3L;

    static final int IFF_TUN = 0x0001;
    static final int IFF_TAP = 0x0002;
    static final int IFF_MULTI_QUEUE = 0x0100;
    static final int IFF_VNET_HDR = 0x4000;
    static final int IFF_NO_PI = 0x1000;
    /** Fail with EBUSY instead of attaching when a device of that name exists. */
    static final int IFF_TUN_EXCL = 0x8000;

    private Ifreq() {}

    static byte[] encode(String name, int flags) {
        byte[] req = new byte[SIZE];
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, req, 0, b.length);
        req[16] = (byte) flags;
        req[17] = (byte) (flags >>> 8);
        return req;
    }

    static String name(byte[] req) {
        int n = 0;
        while (n < IFNAMSIZ && req[n] != 0) {
            n++;
        }
        return new String(req, 0, n, StandardCharsets.UTF_8);
    }

    static int flags(byte[] req) {
        return (req[16] & 0xff) | (req[17] & 0xff) << 8;
    }
}
