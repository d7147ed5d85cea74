package io.github.netvirt.core;

/**
 * Knobs of {@link Topology#apply}, for tests: {@code failAt} makes step k fail (-1: never);
 * {@code fault} simulates what cannot be provoked on demand once the first devices have been made
 * in the root namespace.
 */
record ApplyOptions(int failAt, Fault fault) {
    static final ApplyOptions DEFAULT = new ApplyOptions(-1, Fault.NONE);

    enum Fault {
        NONE,
        /** The kernel made the root-namespace devices, but their acks are lost: apply fails. */
        ROOT_ACKS_LOST,
        /** The JVM dies (as by {@code kill -9}) right after the kernel made them. */
        HALT_AFTER_ROOT_DEVICES
    }

    ApplyOptions(int failAt) {
        this(failAt, Fault.NONE);
    }
}
