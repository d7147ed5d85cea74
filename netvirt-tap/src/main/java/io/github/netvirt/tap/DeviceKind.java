package io.github.netvirt.tap;

/** What a device carries: Ethernet frames (TAP) or bare IP packets (TUN). */
public enum DeviceKind {
    /** Layer 2: every frame starts with a 14-byte Ethernet header. */
    TAP(0x0002, 14),
    /** Layer 3: every packet starts with an IPv4 or IPv6 header. */
    TUN(0x0001, 1);

    private final int flag;
    private final int minFrame;

    DeviceKind(int flag, int minFrame) {
        this.flag = flag;
        this.minFrame = minFrame;
    }

    /** {@code IFF_TAP} or {@code IFF_TUN}. */
    int flag() {
        return flag;
    }

    /** The shortest frame the kernel accepts from a write, packet-information prefix excluded. */
    public int minFrameLength() {
        return minFrame;
    }

    /**
     * The largest MTU the kernel takes for a device of this kind: 65535 less the link-layer header
     * (tun_net_init: {@code max_mtu = MAX_MTU - hard_header_len}), 65521 for a TAP, 65535 for a TUN.
     */
    public int maxMtu() {
        return this == TAP ? 65535 - 14 : 65535;
    }

    /** The kernel's default name template, {@code tap%d} or {@code tun%d}. */
    public String defaultTemplate() {
        return this == TAP ? "tap%d" : "tun%d";
    }
}
