package io.github.netvirt.core;

import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.VxlanSettings;
import io.github.netvirt.netlink.Mtu;

/**
 * The MTU the kernel gives each device of a description as drafted: its declared one, or 1500, a
 * bridge's ports' smallest (1500 without ports), a vxlan's lower device's less its encapsulation, a
 * macvlan's lower device's.
 */
final class DraftMtus {
    /** A new device's MTU unless told otherwise (ether_setup), and a bridge's without ports (br_mtu_min). */
    static final int ETH_DATA_LEN = 1500;
    /** The least MTU the kernel gives a vxlan over a lower device too small for its headroom (ETH_MIN_MTU). */
    static final int ETH_MIN_MTU = 68;
    /** A vxlan's encapsulation over an IPv4 and an IPv6 underlay (VXLAN_HEADROOM, VXLAN6_HEADROOM). */
    static final int VXLAN_HEADROOM = 50;

    static final int VXLAN6_HEADROOM = 70;
    /**
     * How deep {@link #mtuOf} follows lower devices and ports: deeper is a cycle, reported on a lower
     * device (checkLower) or a master (a device on the bridge it is a port of).
     */
    static final int MTU_DEPTH = 8;

    private DraftMtus() {}

    /** The one MTU declared on {@code d}, -1 when none is, 0 when they conflict or the one is out of range. */
    static int declaredMtu(Drafts.Dev d) {
        if (d.mtus.isEmpty()) {
            return -1;
        }
        int m = d.mtus.get(0);
        for (int x : d.mtus) {
            if (x != m) {
                return 0;
            }
        }
        return Mtu.problem(m) == null ? m : 0;
    }

    /** The MTU the kernel ends with on {@code d} as described, or 0 when the description does not settle it. */
    static int mtuOf(Drafts.Ns n, Drafts.Dev d, int depth) {
        if (d == null || d.kind == null || depth > MTU_DEPTH) {
            return 0;
        }
        int declared = declaredMtu(d);
        if (declared == 0) {
            return 0;
        }
        switch (d.kind) {
            case BRIDGE -> {
                int min = Integer.MAX_VALUE;
                for (Drafts.Dev port : n.devices.values()) {
                    if (port != d && portOf(port, d)) {
                        int m = mtuOf(n, port, depth + 1);
                        if (m <= 0) {
                            return 0;
                        }
                        min = Math.min(min, m);
                    }
                }
                return min != Integer.MAX_VALUE ? min : declared > 0 ? declared : ETH_DATA_LEN;
            }
            case VXLAN -> {
                if (d.lower == null) {
                    return declared > 0 ? declared : ETH_DATA_LEN;
                }
                int lower = mtuOf(n, n.devices.get(d.lower), depth + 1);
                if (lower <= 0 || !(d.settings instanceof VxlanSettings x)) {
                    return 0;
                }
                int max = Math.max(ETH_MIN_MTU, lower - (VxlanChecks.ipv6(x) ? VXLAN6_HEADROOM : VXLAN_HEADROOM));
                return declared > 0 ? Math.min(declared, max) : max;
            }
            case MACVLAN -> {
                return declared > 0 ? declared : mtuOf(n, realLower(n, d), depth + 1);
            }
            default -> {
                return declared > 0 ? declared : ETH_DATA_LEN;
            }
        }
    }

    /** Where the MTU the kernel gives {@code d}, declared without one, comes from, for a message. */
    static String mtuSource(Drafts.Ns n, Drafts.Dev d) {
        switch (d.kind) {
            case BRIDGE -> {
                Drafts.Dev smallest = null;
                int min = Integer.MAX_VALUE;
                for (Drafts.Dev port : n.devices.values()) {
                    int m = port != d && portOf(port, d) ? mtuOf(n, port, 1) : Integer.MAX_VALUE;
                    if (m < min) {
                        min = m;
                        smallest = port;
                    }
                }
                return smallest == null ? "a bridge's without ports" : "its ports' smallest, " + smallest.name + "'s";
            }
            case VXLAN -> {
                int headroom =
                        d.settings instanceof VxlanSettings x && VxlanChecks.ipv6(x) ? VXLAN6_HEADROOM : VXLAN_HEADROOM;
                return "its lower device " + d.lower + "'s less " + headroom + " bytes of encapsulation";
            }
            case MACVLAN -> {
                Drafts.Dev real = realLower(n, d);
                return "its lower device " + (real == null ? d.lower : real.name) + "'s";
            }
            default -> {
                return "the kernel's default";
            }
        }
    }

    /** The device a macvlan really sits on: the kernel puts a macvlan on a macvlan on the other's lower device. */
    static Drafts.Dev realLower(Drafts.Ns n, Drafts.Dev d) {
        Drafts.Dev l = d;
        for (int i = 0; i <= MTU_DEPTH && l != null && l.kind == Kind.MACVLAN; i++) {
            l = l.lower == null || l.lower.equals(l.name) ? null : n.devices.get(l.lower);
        }
        return l == null || l.kind == null || l.kind == Kind.MACVLAN ? null : l;
    }

    /** Whether {@code port} is a port of bridge {@code bridge}. */
    static boolean portOf(Drafts.Dev port, Drafts.Dev bridge) {
        return bridge.kind == Kind.BRIDGE
                && port.ns.equals(bridge.ns)
                && !port.masters.isEmpty()
                && port.masters.get(0).equals(bridge.name);
    }
}
