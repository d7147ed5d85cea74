package io.github.netvirt.netlink.nftables;

import io.github.netvirt.netns.internal.CodeTable;

/** Where a base chain is attached in the IP stack ({@code NF_INET_*}). */
public enum Hook {
    PREROUTING(0),
    INPUT(1),
    FORWARD(2),
    OUTPUT(3),
    POSTROUTING(4);

    private static final CodeTable<Hook> BY_NUMBER = new CodeTable<>(values(), Hook::number);

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
        return BY_NUMBER.require(n, "unknown hook number");
    }

    /** The hook of number {@code n}, or null for one this enum does not model (inet's ingress, 5). */
    static Hook find(int n) {
        return BY_NUMBER.get(n);
    }
}
