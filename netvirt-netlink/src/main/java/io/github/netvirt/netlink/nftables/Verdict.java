package io.github.netvirt.netlink.nftables;

/** What happens to a packet at the end of a rule or chain ({@code NF_DROP}, {@code NF_ACCEPT}, {@code NFT_*}). */
public enum Verdict {
    DROP(0),
    ACCEPT(1),
    CONTINUE(-1),
    RETURN(-5);

    private final int code;

    Verdict(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The verdict of {@code code}. @throws IllegalArgumentException for jumps and unknown codes */
    public static Verdict of(int code) {
        for (Verdict v : values()) {
            if (v.code == code) {
                return v;
            }
        }
        throw new IllegalArgumentException("unsupported verdict code " + code);
    }
}
