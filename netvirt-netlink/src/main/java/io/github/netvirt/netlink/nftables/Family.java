package io.github.netvirt.netlink.nftables;

/** An nf_tables address family ({@code NFPROTO_*}), with nft's name for it. */
public enum Family {
    INET(1, "inet"),
    IP(2, "ip"),
    ARP(3, "arp"),
    NETDEV(5, "netdev"),
    BRIDGE(7, "bridge"),
    IP6(10, "ip6");

    private final int code;
    private final String nftName;

    Family(int code, String nftName) {
        this.code = code;
        this.nftName = nftName;
    }

    /** The {@code NFPROTO_*} number. */
    public int code() {
        return code;
    }

    /** The name {@code nft} uses, e.g. {@code inet}. */
    public String nftName() {
        return nftName;
    }

    /** The family of {@code NFPROTO_*} number {@code code}. @throws IllegalArgumentException if unknown */
    public static Family of(int code) {
        for (Family f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown nf_tables family " + code);
    }
}
