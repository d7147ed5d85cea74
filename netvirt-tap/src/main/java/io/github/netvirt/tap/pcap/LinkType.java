package io.github.netvirt.tap.pcap;

/** The pcap link types of what TAP and TUN devices carry. */
public enum LinkType {
    /** {@code LINKTYPE_ETHERNET}: Ethernet frames, as a TAP device gives them. */
    ETHERNET(1),
    /** {@code LINKTYPE_RAW}: bare IPv4/IPv6 packets, as a TUN device without packet info gives them. */
    RAW(101);

    private final int code;

    LinkType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
