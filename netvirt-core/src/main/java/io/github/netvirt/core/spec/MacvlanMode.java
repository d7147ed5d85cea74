package io.github.netvirt.core.spec;

/** {@code ip link add ... type macvlan mode MODE}; values as in {@code if_link.h}. */
public enum MacvlanMode {
    PRIVATE(1),
    VEPA(2),
    BRIDGE(4),
    PASSTHRU(8),
    SOURCE(16);

    private final int value;

    MacvlanMode(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    public String iproute2() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
