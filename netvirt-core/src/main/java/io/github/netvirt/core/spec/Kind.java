package io.github.netvirt.core.spec;

/** The kinds of device a topology can create, by their iproute2 {@code type} names. */
public enum Kind {
    VETH("veth", Lower.NONE),
    BRIDGE("bridge", Lower.NONE),
    TAP("tap", Lower.NONE),
    MACVLAN("macvlan", Lower.REQUIRED),
    VXLAN("vxlan", Lower.OPTIONAL);

    /** Whether a device of a kind sits on a lower device of its namespace. */
    public enum Lower {
        NONE, OPTIONAL, REQUIRED
    }

    private final String iproute2;
    private final Lower lower;

    Kind(String iproute2, Lower lower) {
        this.iproute2 = iproute2;
        this.lower = lower;
    }

    /** Whether a device of this kind has a lower device ({@link DeviceSpec#lower()}). */
    public Lower lower() {
        return lower;
    }

    /** The {@code type} word of {@code ip link add}. */
    public String iproute2() {
        return iproute2;
    }
}
