package io.github.netvirt.core.spec;

/**
 * The kinds of device a topology can create, by their iproute2 {@code type} names. A new kind is a
 * constant here, its builder method in {@code TopologyBuilder} and, when it has settings of its own,
 * a {@link DeviceSettings} record; a kind without is made by its name alone.
 */
public enum Kind {
    VETH("veth"),
    BRIDGE("bridge"),
    TAP("tap"),
    MACVLAN("macvlan"),
    VXLAN("vxlan");

    /** Whether a device of a kind sits on a lower device of its namespace. */
    public enum Lower {
        NONE,
        OPTIONAL,
        REQUIRED
    }

    private final String iproute2;

    Kind(String iproute2) {
        this.iproute2 = iproute2;
    }

    /** Whether a device of this kind has a lower device ({@link DeviceSpec#lower()}). */
    public Lower lower() {
        return switch (this) {
            case MACVLAN -> Lower.REQUIRED;
            case VXLAN -> Lower.OPTIONAL;
            default -> Lower.NONE;
        };
    }

    /** The {@code type} word of {@code ip link add}. */
    public String iproute2() {
        return iproute2;
    }
}
