package io.github.netvirt.netlink.nftables;

/** Where a base chain is attached in the IP stack ({@code NF_INET_*}). */
public enum Hook {
    PREROUTING(0),
    INPUT(1),
    FORWARD(2),
    OUTPUT(3),
    POSTROUTING(4);

    private final int number;

    Hook(int number) {
        this.number = number;
    }

    /** The {@code NF_INET_*} hook number. */
    public int number() {
        return number;
    }

    /** The hook of number {@code n}. @throws IllegalArgumentException if unknown */
    public static Hook of(int n) {
        for (Hook h : values()) {
            if (h.number == n) {
                return h;
            }
        }
        throw new IllegalArgumentException("unknown hook number " + n);
    }
}
