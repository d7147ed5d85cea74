package io.github.netvirt.netlink;

import java.util.Locale;

/** How a macvlan device forwards between its siblings: {@code MACVLAN_MODE_*} of {@code if_link.h}. */
public enum MacvlanMode {
    PRIVATE(1),
    VEPA(2),
    BRIDGE(4),
    PASSTHRU(8),
    SOURCE(16);

    private final int code;

    MacvlanMode(int code) {
        this.code = code;
    }

    /** The {@code IFLA_MACVLAN_MODE} value. */
    public int code() {
        return code;
    }

    /** The word {@code ip link add ... type macvlan mode WORD} takes. */
    public String iproute2() {
        return name().toLowerCase(Locale.ROOT);
    }
}
