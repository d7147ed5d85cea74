package io.github.netvirt.core.spec;

/** The kinds of device a topology can create, by their iproute2 {@code type} names. */
public enum Kind {
    VETH("veth"),
    BRIDGE("bridge"),
    TAP("tap"),
    MACVLAN("macvlan"),
    VXLAN("vxlan");

    private final String iproute2;

    Kind(String iproute2) {
        this.iproute2 = iproute2;
    }

    /** The {@code type} word of {@code ip link add}. */
    public String iproute2() {
        return iproute2;
    }
}
