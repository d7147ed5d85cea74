package io.github.netvirt.netlink;

/**
 * The one MTU range netvirt accepts for links, routes and TAP devices, checked before the kernel sees
 * the value: 68 (the IPv4 minimum, {@code ETH_MIN_MTU}) to 65535 ({@code ETH_MAX_MTU}, the largest
 * {@code IP_MAX_MTU} packet). A device kind may allow less (a TAP: 65521); the kernel then answers
 * EINVAL. Thread-safe (stateless).
 */
public final class Mtu {
    public static final int MIN = 68;
    public static final int MAX = 65535;

    private Mtu() {}

    /** What is wrong with {@code mtu}, or {@code null} if it is in range. */
    public static String problem(int mtu) {
        return mtu < MIN || mtu > MAX ? "MTU " + mtu + " out of range " + MIN + ".." + MAX : null;
    }

    /**
     * @return {@code mtu}
     * @throws IllegalArgumentException if {@code mtu} is outside {@value #MIN}..{@value #MAX}
     */
    public static int check(int mtu) {
        String problem = problem(mtu);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return mtu;
    }
}
