/** TAP/TUN devices as streams and buffers, packet capture, pcap files, header views, the impairing relay. */
module io.github.netvirt.tap {
    requires transitive io.github.netvirt.netns;
    requires transitive io.github.netvirt.netlink;
    requires com.sun.jna;

    exports io.github.netvirt.tap;
    exports io.github.netvirt.tap.impair;
    exports io.github.netvirt.tap.packet;
    exports io.github.netvirt.tap.pcap;
}
