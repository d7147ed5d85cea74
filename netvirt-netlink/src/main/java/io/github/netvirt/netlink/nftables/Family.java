package io.github.netvirt.netlink.nftables;

import io.github.netvirt.netns.internal.CodeTable;
import java.util.Locale;

/** An nf_tables address family ({@code NFPROTO_*}), with nft's name for it. */
public enum Family {
    INET(1),
    IP(2),
    ARP(3),
    NETDEV(5),
    BRIDGE(7),
    IP6(10);

    private static final CodeTable<Family> BY_CODE = new CodeTable<>(values(), Family::code);

    private final int code;

    Family(int code) {
        this.code = code;
    }

    /** The {@code NFPROTO_*} number. */
    public int code() {
        return code;
    }

    /** The name {@code nft} uses, e.g. {@code inet}. */
    public String nftName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The family of {@code NFPROTO_*} number {@code code}. @throws IllegalArgumentException if unknown */
    public static Family of(int code) {
        return BY_CODE.require(code, "unknown nf_tables family");
    }
}
