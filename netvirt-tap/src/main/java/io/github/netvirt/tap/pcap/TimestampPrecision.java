package io.github.netvirt.tap.pcap;

import io.github.netvirt.netns.internal.CodeTable;

/** The resolution of a classic pcap file's timestamps, told to readers by its magic number. */
public enum TimestampPrecision {
    /** The original format: magic {@code 0xa1b2c3d4}, seconds and microseconds. */
    MICROSECONDS(0xa1b2c3d4, 1_000),
    /** The nanosecond variant: magic {@code 0xa1b23c4d}, seconds and nanoseconds (tcpdump, Wireshark). */
    NANOSECONDS(0xa1b23c4d, 1);

    private static final CodeTable<TimestampPrecision> BY_MAGIC = new CodeTable<>(values(), TimestampPrecision::magic);

    private final int magic;
    private final int nanosPerUnit;

    TimestampPrecision(int magic, int nanosPerUnit) {
        this.magic = magic;
        this.nanosPerUnit = nanosPerUnit;
    }

    public int magic() {
        return magic;
    }

    /** The fraction-of-second field for {@code nanos} (0..999_999_999). */
    int fraction(int nanos) {
        return nanos / nanosPerUnit;
    }

    /** The precision of a file starting with {@code magic}, or null when it is no classic pcap magic. */
    static TimestampPrecision ofMagic(int magic) {
        return BY_MAGIC.get(magic);
    }
}
