/**
 * rtnetlink (links, addresses, routes, neighbours, traffic control), nftables and sysctls of a
 * namespace, without the {@code ip} tool. {@code codec} is the message layer that
 * {@code NetlinkChannel} and nftables expressions write with.
 */
module io.github.netvirt.netlink {
    requires transitive io.github.netvirt.netns;
    requires com.sun.jna;

    exports io.github.netvirt.netlink;
    exports io.github.netvirt.netlink.codec;
    exports io.github.netvirt.netlink.nftables;
}
