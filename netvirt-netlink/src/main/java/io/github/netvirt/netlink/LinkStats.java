package io.github.netvirt.netlink;

/** Counters of a link ({@code IFLA_STATS64}, the first fields of {@code struct rtnl_link_stats64}). */
public record LinkStats(
        long rxPackets,
        long txPackets,
        long rxBytes,
        long txBytes,
        long rxErrors,
        long txErrors,
        long rxDropped,
        long txDropped,
        long multicast) {
    public static final LinkStats ZERO = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
