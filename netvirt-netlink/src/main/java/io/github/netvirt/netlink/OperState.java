package io.github.netvirt.netlink;

/** RFC 2863 operational state of a link ({@code IFLA_OPERSTATE}), as {@code ip link} shows it. */
public enum OperState {
    UNKNOWN,
    NOTPRESENT,
    DOWN,
    LOWERLAYERDOWN,
    TESTING,
    DORMANT,
    UP;

    static OperState of(int code) {
        OperState[] v = values();
        return code >= 0 && code < v.length ? v[code] : UNKNOWN;
    }
}
