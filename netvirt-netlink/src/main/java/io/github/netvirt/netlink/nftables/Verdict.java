package io.github.netvirt.netlink.nftables;

import io.github.netvirt.netns.internal.CodeTable;

/** What happens to a packet at the end of a rule or chain ({@code NF_DROP}, {@code NF_ACCEPT}, {@code NFT_*}). */
public enum Verdict {
    DROP(0),
    ACCEPT(1),
    CONTINUE(-1),
    RETURN(-5);

    private static final CodeTable<Verdict> BY_CODE = new CodeTable<>(values(), Verdict::code);

    private final int code;

    Verdict(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The verdict of {@code code}. @throws IllegalArgumentException for jumps and unknown codes */
    public static Verdict of(int code) {
        return BY_CODE.require(code, "unsupported verdict code");
    }
}
